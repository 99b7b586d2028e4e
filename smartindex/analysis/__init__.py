"""Analysis: pure functions over a :class:`smartindex.scoring.Results` (never a connection).

``trends`` (Theil–Sen, Mann–Kendall, CAGR), ``targets`` (achievement), ``standards`` and
``status`` (the one status model: Permendagri 86/2017 grades, legal standards, position,
trend, headlines, needs attention), ``districts`` (inequality, access), ``peers``,
``scorecard`` (what the faces show), ``whatif`` (re-scoring with other weights or methods) and
``recommend`` (declarative actions with targets and evidence).
"""
