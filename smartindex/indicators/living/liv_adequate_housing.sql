-- LIV_ADEQUATE_HOUSING: see catalogue.toml for its definition, unit and standard.
select * from stat_value('adequate_housing_pct')
