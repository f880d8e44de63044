import pytest

from nhanluc.catalogs.suggest import suggest_occupation

pytestmark = pytest.mark.django_db


def codes(text, limit=5):
    return [s.code for s in suggest_occupation(text, limit=limit)]


def test_welder_is_7212_first():
    suggestions = suggest_occupation("thợ hàn")
    assert suggestions[0].code == "7212"
    assert suggestions[0].score == 1.0
    assert all(0 <= s.score <= 1 for s in suggestions)


def test_garment_worker_has_8153_in_top_three():
    assert "8153" in codes("công nhân may", 3)


def test_without_diacritics_in_any_order_and_case():
    assert codes("tho han")[0] == "7212"
    assert codes("HÀN thợ")[0] == "7212"


def test_abbreviations():
    assert codes("nv kế toán")[0] == "4311"
    assert codes("gv tiểu học", 2)[0] in {"3610", "2341"}


def test_scores_are_ranked_and_codes_unique():
    suggestions = suggest_occupation("lái xe tải", limit=8)
    scores = [s.score for s in suggestions]
    assert scores == sorted(scores, reverse=True)
    assert len({s.code for s in suggestions}) == len(suggestions)
    assert suggestions[0].code in {"8322", "8332"}


def test_nothing_for_nothing():
    assert suggest_occupation("") == []
    assert suggest_occupation("   ,, ") == []
    assert suggest_occupation("xyzxyz qwqw") == []


def test_best_occupation_agrees_with_the_ranking_for_every_catalogue_title():
    # The dictionary shortcut for titles written as the classification lists them must give the code
    # the full scoring ranks first, or the import would code the same title differently from the form.
    from nhanluc.catalogs.models import OccupationTitle
    from nhanluc.catalogs.suggest import best_occupation

    titles = sorted(set(OccupationTitle.objects.filter(occupation__level=4).values_list("title", flat=True)))
    assert len(titles) > 500
    for number, title in enumerate(titles):
        written = title.upper() if number % 2 else title
        assert best_occupation(written, threshold=0.5) == codes(written, 1)[0], written


def test_best_occupation_scores_free_text_and_respects_the_threshold():
    from nhanluc.catalogs.suggest import best_occupation

    assert best_occupation("cn hàn", threshold=0.5) == codes("cn hàn", 1)[0]
    assert best_occupation("xyzxyz qwqw", threshold=0.5) == ""
    assert best_occupation("thợ hàn xyzxyz", threshold=1.01) == ""
