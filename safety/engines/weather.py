"""Weather formulas used by the environment rules (pure functions, no ORM).

* NWS heat index, as the Weather Prediction Center's page "The Heat Index Equation" describes it
  (https://www.wpc.ncep.noaa.gov/html/heatindex_equation.shtml): the simple formula
  ``0.5 × {T + 61.0 + [(T − 68.0) × 1.2] + (RH × 0.094)}`` — which *is* the simple Steadman value
  averaged with T — and, when that is ≥ 80 °F, the full Rothfusz (1990) regression with the
  low-humidity and high-humidity adjustments.
* NWS wind chill (in effect since 1 November 2001), °F/mph and °C/km/h forms. Outside
  ``T ≤ 50 °F and V > 3 mph`` it returns None (that validity range is stated by a third-party chart
  site, not confirmed on an NWS page — see docs/safety-environment.md).
* Unit conversions.
"""

import math

CALM_MPH = 3.0
WIND_CHILL_MAX_F = 50.0
KMH_PER_MPH = 1.609344


def c_to_f(celsius: float) -> float:
    return celsius * 9.0 / 5.0 + 32.0


def f_to_c(fahrenheit: float) -> float:
    return (fahrenheit - 32.0) * 5.0 / 9.0


def kmh_to_mph(kmh: float) -> float:
    return kmh / KMH_PER_MPH


def mph_to_kmh(mph: float) -> float:
    return mph * KMH_PER_MPH


def heat_index_simple_f(t_f: float, rh: float) -> float:
    """The WPC simple formula (already averaged with T)."""
    return 0.5 * (t_f + 61.0 + (t_f - 68.0) * 1.2 + rh * 0.094)


def rothfusz_f(t_f: float, rh: float) -> float:
    """The Rothfusz regression, without adjustments."""
    return (
        -42.379
        + 2.04901523 * t_f
        + 10.14333127 * rh
        - 0.22475541 * t_f * rh
        - 0.00683783 * t_f * t_f
        - 0.05481717 * rh * rh
        + 0.00122874 * t_f * t_f * rh
        + 0.00085282 * t_f * rh * rh
        - 0.00000199 * t_f * t_f * rh * rh
    )


def heat_index_f(t_f: float, rh: float) -> float:
    """NWS heat index in °F from air temperature (°F) and relative humidity (%)."""
    simple = heat_index_simple_f(t_f, rh)
    if simple < 80.0:
        return simple
    hi = rothfusz_f(t_f, rh)
    if rh < 13.0 and 80.0 <= t_f <= 112.0:
        hi -= ((13.0 - rh) / 4.0) * math.sqrt((17.0 - abs(t_f - 95.0)) / 17.0)
    elif rh > 85.0 and 80.0 <= t_f <= 87.0:
        hi += ((rh - 85.0) / 10.0) * ((87.0 - t_f) / 5.0)
    return hi


def heat_index_c(t_c: float, rh: float) -> float:
    return f_to_c(heat_index_f(c_to_f(t_c), rh))


def wind_chill_f(t_f: float, v_mph: float) -> float | None:
    """NWS 2001 wind chill (°F, mph); None outside T ≤ 50 °F and V > 3 mph."""
    if t_f > WIND_CHILL_MAX_F or v_mph <= CALM_MPH:
        return None
    v = v_mph**0.16
    return 35.74 + 0.6215 * t_f - 35.75 * v + 0.4275 * t_f * v


def wind_chill_c(t_c: float, v_kmh: float) -> float | None:
    """NWS 2001 wind chill, metric form (°C, km/h); same validity range, converted."""
    if c_to_f(t_c) > WIND_CHILL_MAX_F or kmh_to_mph(v_kmh) <= CALM_MPH:
        return None
    v = v_kmh**0.16
    return 13.12 + 0.6215 * t_c - 11.37 * v + 0.3965 * t_c * v


def derived(
    temperature_c: float, relative_humidity: float | None, wind_speed_kmh: float | None
) -> tuple[float | None, float | None]:
    """(heat index °C, wind chill °C) stored with a reading. The heat index needs a humidity and is
    computed above 50 °F only (the complement of wind chill's range; the WPC page gives no lower
    bound, but a "heat" index of a freezing morning means nothing); wind chill needs a wind."""
    t_f = c_to_f(float(temperature_c))
    hi = None
    if relative_humidity is not None and t_f > WIND_CHILL_MAX_F:
        hi = f_to_c(heat_index_f(t_f, float(relative_humidity)))
    wc = wind_chill_c(float(temperature_c), float(wind_speed_kmh)) if wind_speed_kmh is not None else None
    return hi, wc


def measures(
    *,
    temperature_c: float,
    relative_humidity: float | None = None,
    wind_speed_kmh: float | None = None,
    wbgt_c: float | None = None,
    aqi: float | None = None,
    lightning: bool = False,
    precipitation: bool = False,
    heat_index_c: float | None = None,
    wind_chill_c: float | None = None,
) -> dict[str, float | None]:
    """The rule measures (°F as the sources print them) for one observation. ``wind_chill_f``
    falls back to the air temperature when wind chill is not defined (calm or above 50 °F): with no
    wind the felt temperature is the air temperature, and cold bands still apply. ``heat_index_f``
    is None without a humidity (it is never guessed)."""
    t_f = c_to_f(float(temperature_c))
    hi, wc = heat_index_c, wind_chill_c
    if hi is None or wc is None:
        computed_hi, computed_wc = derived(temperature_c, relative_humidity, wind_speed_kmh)
        hi = computed_hi if hi is None else hi
        wc = computed_wc if wc is None else wc
    return {
        "temperature_f": t_f,
        "heat_index_f": c_to_f(float(hi)) if hi is not None else None,
        "wbgt_f": c_to_f(float(wbgt_c)) if wbgt_c is not None else None,
        "wind_chill_f": c_to_f(float(wc)) if wc is not None else t_f,
        "aqi": float(aqi) if aqi is not None else None,
        "lightning": 1.0 if lightning else 0.0,
        "precipitation": 1.0 if precipitation else 0.0,
    }
