package exif

// readGPSIFD reads latitude and longitude from the GPS IFD. A position is kept
// only when both coordinates are present, finite and in range.
func (d *Data) readGPSIFD(r *reader, off uint32) {
	entries, _, err := r.readIFD(off)
	if err != nil {
		return
	}
	var lat, lon float64
	var haveLat, haveLon bool
	latRef, lonRef := "N", "E"
	for _, e := range entries {
		switch e.tag {
		case tagGPSLatitudeRef:
			latRef = asciiValue(e)
		case tagGPSLongitudeRef:
			lonRef = asciiValue(e)
		case tagGPSLatitude:
			lat, haveLat = r.degrees(e)
		case tagGPSLongitude:
			lon, haveLon = r.degrees(e)
		}
	}
	if !haveLat || !haveLon {
		return
	}
	if latRef == "S" || latRef == "s" {
		lat = -lat
	}
	if lonRef == "W" || lonRef == "w" {
		lon = -lon
	}
	if lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return
	}
	d.GPS = &GPS{Latitude: lat, Longitude: lon}
}

// degrees converts a GPS coordinate stored as degrees, minutes and seconds
// (1 to 3 rationals; some writers store decimal degrees in the first) to
// decimal degrees.
func (r *reader) degrees(e entry) (float64, bool) {
	if e.count == 0 || e.count > 3 {
		return 0, false
	}
	var v float64
	scale := 1.0
	for i := 0; i < int(e.count); i++ {
		x, ok := r.rational(e, i)
		if !ok || x < 0 {
			return 0, false
		}
		v += x / scale
		scale *= 60
	}
	return v, true
}
