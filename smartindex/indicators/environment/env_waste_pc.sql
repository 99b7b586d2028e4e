-- ENV_WASTE_PC: see catalogue.toml for its definition, unit and standard.
select * from stat_per_capita('waste_collected_t', 1)
