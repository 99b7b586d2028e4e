-- ENV_WASTE_DIVERTED: see catalogue.toml for its definition, unit and standard.
select * from stat_ratio('waste_diverted_t', 'waste_collected_t', 100)
