-- ENV_GREEN_AREA: see catalogue.toml for its definition, unit and standard.
select * from stat_per_capita('green_area_ha', 100000)
