-- LIV_POVERTY: see catalogue.toml for its definition, unit and standard.
select * from stat_value('poverty_rate_pct')
