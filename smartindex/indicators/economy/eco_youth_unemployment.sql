-- ECO_YOUTH_UNEMPLOYMENT: see catalogue.toml for its definition, unit and standard.
select * from stat_value('youth_unemployment_rate_pct')
