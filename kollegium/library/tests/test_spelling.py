from kollegium.library import lexicon, spelling


def test_distance_counts_a_swap_as_one_edit():
    assert spelling.distance("studeiro", "studiero", 2) == 1
    assert spelling.distance("lasforstals", "lasforsta", 2) == 2
    assert spelling.distance("abc", "xyz", 1) == 2  # stops past the limit


def test_the_nearest_then_most_common_then_alphabetical_candidate_wins():
    c = spelling.Candidate
    candidates = [c("studier", "studier", "studier", 9), c("studiero", "studiero", "studiero", 2)]
    assert spelling.best("studeiro", candidates).stem == "studiero"
    tied = [c("bok", "bok", "bok", 1), c("bot", "bot", "bot", 5)]
    assert spelling.best("bor", tied).stem == "bot"
    assert spelling.best("xylofon", candidates) is None


def test_folding_drops_diacritics():
    assert lexicon.fold("läsförståelse") == "lasforstaelse"
    assert lexicon.fold("idé") == "ide"
