-- ENV_WASTE_SERVICE: see catalogue.toml for its definition, unit and standard.
select * from stat_value('population_waste_service_pct')
