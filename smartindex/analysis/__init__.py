"""Analysis: pure functions over a :class:`smartindex.scoring.Results` (never a connection).

``trends`` (Theil–Sen, Mann–Kendall, CAGR), ``targets`` (achievement), ``districts``
(inequality, access), ``peers``, ``scorecard`` (what the faces show), ``whatif`` (re-scoring
with other weights or methods) and ``recommend`` (declarative policy rules).
"""
