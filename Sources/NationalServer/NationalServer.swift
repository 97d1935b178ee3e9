// NationalServer
