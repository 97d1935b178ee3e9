// Harvest
