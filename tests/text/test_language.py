"""Telling a report the rules backend cannot read (another language) from an English one."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pancyst.text.language import other_language

FOREIGN = {
    "German": "Befund: Im Pankreaskopf zeigt sich eine 15 mm große Zyste ohne solide Anteile. Der Pankreasgang "
    "ist nicht erweitert (2 mm). Leber und Nieren unauffällig. Beurteilung: Zyste im Pankreaskopf.",
    "French": "Résultats: Il existe une lésion kystique de la tête du pancréas mesurant 15 mm, sans nodule mural. "
    "Le canal de Wirsung est de calibre normal. Conclusion: kyste de la tête du pancréas.",
    "Spanish": "Hallazgos: En la cabeza del páncreas se observa una lesión quística de 15 mm, sin componente "
    "sólido. El conducto pancreático principal es de calibre normal. Conclusión: quiste pancreático.",
    "Portuguese": "Achados: Observa-se na cabeça do pâncreas uma lesão cística medindo cerca de 15 mm, sem "
    "nódulos murais. O ducto pancreático principal tem calibre normal. Conclusão: lesão cística.",
    "Dutch": "Bevindingen: In de kop van het pancreas een cyste van 15 mm zonder solide componenten. De ductus "
    "pancreaticus is niet verwijd. Lever en nieren zonder afwijkingen. Conclusie: cyste in de pancreaskop.",
    "Italian": "Reperto: A livello della testa pancreatica si osserva una formazione cistica di 15 mm, senza "
    "noduli murali. Il dotto di Wirsung è di calibro regolare. Conclusioni: lesione cistica della testa.",
}


@pytest.mark.parametrize(("language", "text"), sorted(FOREIGN.items()))
def test_a_report_in_another_language_is_told(language: str, text: str) -> None:
    assert other_language(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "Panc: 1.2cm cyst tail. PD nl. Imp: small panc tail cyst.",
        "PANCREAS: 12 mm cyst head, no nodule, no septa, MPD 2 mm. LIVER: normal. KIDNEYS: normal. SPLEEN: normal. "
        "IMPRESSION: 12 mm pancreatic head cyst, likely BD-IPMN, follow-up MRI 1 year.",
        # translated into English: foreign anatomy words, English sentences
        "Examination: MRI of the pancreas. At the level of the cephalic portion a cystic formation of 15 mm is "
        "observed, without mural nodules. The duct of Wirsung has regular calibre. Conclusion: cystic lesion.",
        # an English report quoting a foreign report's conclusion
        "FINDINGS: 15 mm cyst in the pancreatic head, no nodule. The outside report (Conclusione: lesione cistica "
        "della testa del pancreas) describes the same lesion. IMPRESSION: stable 15 mm head cyst.",
    ],
)
def test_an_english_report_is_english(text: str) -> None:
    assert other_language(text) is None


@given(st.text(max_size=400))
def test_never_raises(text: str) -> None:
    assert other_language(text) in (None, *FOREIGN)
