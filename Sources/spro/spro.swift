// spro
