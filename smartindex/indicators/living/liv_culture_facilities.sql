-- LIV_CULTURE_FACILITIES: see catalogue.toml for its definition, unit and standard.
select * from stat_per_capita('cultural_sports_facilities', 100000)
