"""The school scatter groups students by attendance band once there are too many dots to read."""

from assessments.views_analytics import banded


def test_points_are_grouped_by_attendance_tenth_with_mean_values_and_counts():
    points = [
        {"student": 1, "attendance_rate": 0.95, "value": 40.0},
        {"student": 2, "attendance_rate": 1.0, "value": 30.0},
        {"student": 3, "attendance_rate": 0.52, "value": 21.0},
        {"student": 4, "attendance_rate": 0.58, "value": 24.0},
        {"student": 5, "attendance_rate": 0.05, "value": 10.0},
    ]
    assert banded(points) == [
        {"attendance_rate": 0.05, "value": 10.0, "students": 1},
        {"attendance_rate": 0.55, "value": 22.5, "students": 2},
        {"attendance_rate": 0.975, "value": 35.0, "students": 2},
    ]
