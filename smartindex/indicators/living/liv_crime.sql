-- LIV_CRIME: see catalogue.toml for its definition, unit and standard.
select * from stat_per_capita('crimes_reported', 100000)
