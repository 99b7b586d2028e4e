-- LIV_TOURISTS: see catalogue.toml for its definition, unit and standard.
select * from stat_per_capita('tourist_visits', 1)
