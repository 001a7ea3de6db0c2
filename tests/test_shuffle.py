from dataclasses import dataclass

from generator.shuffle import stable_shuffle


@dataclass
class Item:
    id: str


def test_same_seed_same_order_and_never_written_order() -> None:
    items = [Item(c) for c in "abcdef"]
    first = stable_shuffle(items, "q1")
    assert first == stable_shuffle(items, "q1")
    assert sorted(i.id for i in first) == list("abcdef")
    for seed in (f"q{n}" for n in range(200)):
        assert [i.id for i in stable_shuffle(items[:3], seed)] != ["a", "b", "c"]


def test_different_seeds_differ_somewhere() -> None:
    items = [Item(c) for c in "abcde"]
    orders = {tuple(i.id for i in stable_shuffle(items, f"s{n}")) for n in range(20)}
    assert len(orders) > 1
