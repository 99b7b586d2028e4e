-- ECO_UNEMPLOYMENT: see catalogue.toml for its definition, unit and standard.
select * from stat_value('unemployment_rate_pct')
