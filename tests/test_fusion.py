import pytest

from rag.fusion import interleaved, normalized_score_fusion, reciprocal_rank_fusion

DENSE = [("a", 0.9), ("b", 0.8), ("c", 0.1)]
LEXICAL = [("c", 12.0), ("b", 7.0), ("d", 2.0)]


def test_rrf_sums_reciprocal_ranks_across_lists():
    fused = dict(reciprocal_rank_fusion([DENSE, LEXICAL], k=60))
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 62)
    assert fused["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["d"] == pytest.approx(1 / 63)


def test_rrf_ranks_items_found_by_both_lists_first():
    assert [item for item, _ in reciprocal_rank_fusion([DENSE, LEXICAL])] == ["c", "b", "a", "d"]


def test_rrf_ignores_raw_scores():
    rescaled = [(item, score * 1000) for item, score in LEXICAL]
    assert reciprocal_rank_fusion([DENSE, rescaled]) == reciprocal_rank_fusion([DENSE, LEXICAL])


def test_rrf_weights_scale_each_list():
    dense_heavy = reciprocal_rank_fusion([DENSE, LEXICAL], weights=[3.0, 1.0], k=60)
    assert dict(dense_heavy)["a"] == pytest.approx(3 / 61)
    assert [item for item, _ in dense_heavy] == ["b", "c", "a", "d"]
    lexical_heavy = reciprocal_rank_fusion([DENSE, LEXICAL], weights=[1.0, 3.0], k=60)
    assert [item for item, _ in lexical_heavy] == ["c", "b", "d", "a"]
    lexical_only = reciprocal_rank_fusion([DENSE, LEXICAL], weights=[0.0, 1.0])
    assert [item for item, _ in lexical_only][:3] == ["c", "b", "d"]


def test_rrf_smaller_k_widens_the_gap_between_ranks():
    wide = dict(reciprocal_rank_fusion([DENSE], k=1))
    narrow = dict(reciprocal_rank_fusion([DENSE], k=1000))
    assert wide["a"] / wide["c"] > narrow["a"] / narrow["c"]


def test_rrf_breaks_ties_by_id():
    fused = reciprocal_rank_fusion([[("z", 1.0), ("y", 0.5)], [("y", 3.0), ("z", 1.0)]])
    assert [item for item, _ in fused] == ["y", "z"]
    assert fused[0][1] == fused[1][1]


@pytest.mark.parametrize("fuse", [reciprocal_rank_fusion, normalized_score_fusion])
def test_empty_inputs_fuse_to_nothing(fuse):
    assert fuse([]) == []
    assert fuse([[], []]) == []


@pytest.mark.parametrize("fuse", [reciprocal_rank_fusion, normalized_score_fusion])
def test_one_empty_list_leaves_the_other_in_order(fuse):
    assert [item for item, _ in fuse([DENSE, []])] == ["a", "b", "c"]
    assert [item for item, _ in fuse([[], LEXICAL])] == ["c", "b", "d"]


@pytest.mark.parametrize("fuse", [reciprocal_rank_fusion, normalized_score_fusion])
def test_weight_count_must_match_list_count(fuse):
    with pytest.raises(ValueError, match="1 weights for 2 lists"):
        fuse([DENSE, LEXICAL], weights=[1.0])
    with pytest.raises(ValueError, match="3 weights for 2 lists"):
        fuse([DENSE, LEXICAL], weights=[1.0, 1.0, 1.0])


def test_normalized_fusion_min_max_scales_each_list():
    fused = dict(normalized_score_fusion([DENSE, LEXICAL]))
    assert fused["a"] == pytest.approx(1.0)  # top of dense, absent from lexical
    assert fused["b"] == pytest.approx((0.8 - 0.1) / 0.8 + (7 - 2) / 10)
    assert fused["c"] == pytest.approx(0.0 + 1.0)
    assert fused["d"] == pytest.approx(0.0)


def test_normalized_fusion_is_not_fooled_by_score_scale():
    # BM25 scores in the tens must not drown cosine similarities below 1.
    dense = [("a", 0.95), ("b", 0.30), ("c", 0.10)]
    lexical = [("b", 40.0), ("a", 39.0), ("c", 0.0)]
    assert normalized_score_fusion([dense, lexical])[0][0] == "a"  # a raw sum would pick b


def test_normalized_fusion_weights():
    fused = normalized_score_fusion([DENSE, LEXICAL], weights=[1.0, 0.0])
    assert [item for item, _ in fused][:3] == ["a", "b", "c"]
    assert dict(normalized_score_fusion([DENSE, LEXICAL], weights=[2.0, 1.0]))["a"] == pytest.approx(2.0)


def test_normalized_fusion_equal_scores_all_count_fully_and_tie_by_id():
    fused = normalized_score_fusion([[("q", 0.5), ("p", 0.5)]])
    assert fused == [("p", 1.0), ("q", 1.0)]


def test_interleaving_takes_the_rankings_in_turns_each_item_once_up_to_the_limit():
    first, second = ["a", "b", "c"], ["d", "b", "e"]
    assert interleaved((first, second), key=str, limit=4) == ["a", "d", "b", "c"]
    assert interleaved((first, []), key=str, limit=5) == first
