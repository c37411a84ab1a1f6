#pragma once

// Distances on the Earth's surface.

namespace shipline::domain {

// The great-circle (haversine) distance in kilometres between two points given
// in degrees, on a sphere of the Earth's mean radius (6371.0088 km).
double GreatCircleKm(double lat1, double lon1, double lat2, double lon2);

}  // namespace shipline::domain
