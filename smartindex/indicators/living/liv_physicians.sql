-- LIV_PHYSICIANS: see catalogue.toml for its definition, unit and standard.
select * from stat_per_capita('physicians', 100000)
