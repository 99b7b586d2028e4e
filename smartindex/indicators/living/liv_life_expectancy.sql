-- LIV_LIFE_EXPECTANCY: see catalogue.toml for its definition, unit and standard.
select * from stat_value('life_expectancy_years')
