"""The discipline block's sentence in the report's summary reads the block's own figures."""

from django.utils import translation

from thenchot.discipline.statistics import discipline_block


def test_narrative_reads_people_and_decisions_of_the_block() -> None:
    block = {"people": 2, "decisions": 3, "by_form": {"reprimand": 3}}
    with translation.override("en"):
        assert discipline_block.narrative is not None
        assert discipline_block.narrative(block) == "2 people were disciplined by 3 decisions."
