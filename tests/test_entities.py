"""Entity linking against the curated gazetteer."""

import pytest

from transforms.entities import Entity, Gazetteer, default_gazetteer


def ids(text: str) -> list[str]:
    return [m.entity_id for m in default_gazetteer().find(text)]


@pytest.mark.parametrize(
    "name",
    [
        "China's Land and Resources Economics",
        "China Land & Resources Economy",
        "Natural Resource Economics of China",
    ],
)
def test_the_journals_three_english_names_are_one_entity(name: str) -> None:
    assert ids(f"Published in {name}, 2025.") == ["china-land-resources-economy"]


def test_longest_alias_wins_and_subsidiaries_are_their_own_entity() -> None:
    assert ids("China Minmetals Rare Earth Co., Ltd. is controlled by China Minmetals.") == [
        "china-minmetals-rare-earth",
        "china-minmetals",
    ]
    assert ids("Contemporary Amperex Technology Co. Limited (CATL)") == ["catl", "catl"]


def test_company_suffix_co_is_not_cobalt_but_symbol_in_parentheses_is() -> None:
    assert "cobalt" not in ids("China Minmetals Rare Earth Co., Ltd. and Sino Co. Limited")
    assert ids("cobalt (Co) and antimony (Sb)") == ["cobalt", "cobalt", "antimony", "antimony"]


def test_surname_li_is_not_lithium_and_money_is_not_the_us() -> None:
    assert ids("Li Xiaojie wrote it") == ["li-xiaojie"]
    assert "united-states" not in ids("a premium of US$15 billion")
    assert ids("exports to the US rose") == ["united-states"]


def test_word_boundaries_keep_aliases_inside_words_out() -> None:
    assert ids("Cobalt-free Copperfield") == ["cobalt"]
    assert ids("Zhuhai") == []


def test_acronyms_match_case_sensitively() -> None:
    assert ids("SASAC and MIIT met") == ["sasac", "miit"]
    assert ids("a sasac-like body; catl") == []


def test_every_entry_is_documented_and_typed() -> None:
    gazetteer = default_gazetteer()
    allowed = {"company", "soe", "government", "research", "outlet", "person", "place", "mineral"}
    for entity in gazetteer.entities.values():
        assert entity.note, entity.entity_id
        assert entity.type in allowed, entity.entity_id
        assert entity.parent is None or entity.parent in gazetteer.entities, entity.entity_id


def test_required_entities_are_present() -> None:
    gazetteer = default_gazetteer()
    for name in [
        "China Northern Rare Earth",
        "China Rare Earth Group",
        "SASAC",
        "MOFCOM",
        "MIIT",
        "Robin Zeng",
        "Xi Jinping",
        "David Holland",
        "Tongren",
        "DRC",
        "tungsten",
        "gallium",
        "germanium",
        "graphite",
        "bauxite",
        "REE",
    ]:
        assert gazetteer.resolve(name) is not None, name


def test_an_alias_naming_two_entities_is_refused() -> None:
    with pytest.raises(ValueError, match="names both"):
        Gazetteer(
            (Entity("a", "Alpha", "company", ("Acme",)), Entity("b", "Beta", "company", ("acme",)))
        )
