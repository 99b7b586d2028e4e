-- PEO_TERTIARY: see catalogue.toml for its definition, unit and standard.
select * from stat_value('tertiary_educated_pct')
