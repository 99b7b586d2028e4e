-- PEO_LIBRARY_LOANS: see catalogue.toml for its definition, unit and standard.
select * from stat_per_capita('library_loans', 1)
