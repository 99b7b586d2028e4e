-- PEO_CREATIVE_EMPLOYMENT: see catalogue.toml for its definition, unit and standard.
select * from stat_value('creative_employment_pct')
