-- MOB_ROAD_DEATHS: see catalogue.toml for its definition, unit and standard.
select * from stat_per_capita('road_deaths', 100000)
