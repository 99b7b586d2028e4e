-- ECO_INVESTMENT_PC: see catalogue.toml for its definition, unit and standard.
select * from stat_per_capita('investment_realised_idr_bn', 1000)
