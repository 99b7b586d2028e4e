-- PEO_SCHOOLING_YEARS: see catalogue.toml for its definition, unit and standard.
select * from stat_value('mean_years_schooling')
