"""What a user hands in (region model, workbook or CSV folder, scenario, allocations), read and validated."""
