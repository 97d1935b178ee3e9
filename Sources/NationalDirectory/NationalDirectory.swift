// NationalDirectory
