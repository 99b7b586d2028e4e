-- MOB_AIR_PASSENGERS: see catalogue.toml for its definition, unit and standard.
select * from stat_per_capita('airport_passengers', 1)
