"""Forward kinematics of the five movements for ``synthetic``: joint positions (metres; X lateral
with + = the person's left, Y down, Z forward) from a depth 0..1 within a repetition, the set of
faults to inject in it and a left/right asymmetry. Each builder also returns the true values of
the angles it commands, named like the analysis series."""

import math

SHANK, THIGH, TRUNK, NECK, UPPER_ARM, FOREARM = 0.43, 0.45, 0.5, 0.2, 0.3, 0.27
LEG = SHANK + THIGH
ANKLE_HEIGHT = 0.08
SCALE = 0.45


def P(x: float, up: float, forward: float) -> tuple:
    return (x, -up, forward)


def _dir(angle_deg: float) -> tuple[float, float]:
    """(forward, up) unit vector at ``angle_deg`` from straight up, positive towards forward."""
    a = math.radians(angle_deg)
    return math.sin(a), math.cos(a)


def _lerp(top: float, bottom: float, depth: float) -> float:
    return top + (bottom - top) * depth


# --- movements: each returns ({landmark: world point}, {series: true value}) ------------------


def _squat(depth, faulty, asymmetry):
    knee_bottom = 112.0 if "shallow_depth" in faulty else 85.0
    lean = _lerp(5.0, 60.0 if "excessive_trunk_lean" in faulty else 35.0, depth)
    valgus = 0.3 * depth if "knee_valgus" in faulty else 0.0
    heel = 0.2 * depth if "heels_rising" in faulty else 0.0
    points, truth = {}, {"trunk_lean": lean}
    hips = {}
    mean_knee = _lerp(175.0, knee_bottom, depth)
    target = _hip_forward(0.4 * (180 - mean_knee), mean_knee)
    for side, sign in (("left", 1.0), ("right", -1.0)):
        shift = asymmetry / 2 if side == "left" else -asymmetry / 2
        knee_angle = _lerp(175.0, knee_bottom - shift, depth)
        truth[f"knee_{side}"] = knee_angle
        # a rigid pelvis: both hips stay over the same point, so each shin tilts as its knee needs
        shin = _solve_shin(knee_angle, target)
        ankle = (0.0, ANKLE_HEIGHT)
        sf, su = _dir(shin)
        knee = (ankle[0] + SHANK * sf, ankle[1] + SHANK * su)
        tf, tu = _dir(shin - (180 - knee_angle))
        hip = (knee[0] + THIGH * tf, knee[1] + THIGH * tu)
        x = 0.12 * sign
        hips[side] = hip
        points[f"{side}_ankle"] = P(x, ankle[1], ankle[0])
        points[f"{side}_knee"] = P(x - sign * valgus * 0.24, knee[1], knee[0])
        points[f"{side}_hip"] = P(x, hip[1], hip[0])
        points[f"{side}_heel"] = P(x, 0.02 + heel * SHANK, -0.05)
        points[f"{side}_foot_index"] = P(x, 0.0, 0.15)
    mid = ((hips["left"][0] + hips["right"][0]) / 2, (hips["left"][1] + hips["right"][1]) / 2)
    lf, lu = _dir(lean)
    shoulder = (mid[0] + TRUNK * lf, mid[1] + TRUNK * lu)
    for side, sign in (("left", 1.0), ("right", -1.0)):
        points[f"{side}_shoulder"] = P(0.19 * sign, shoulder[1], shoulder[0])
        points[f"{side}_elbow"] = P(0.19 * sign, shoulder[1], shoulder[0] + UPPER_ARM)
        points[f"{side}_wrist"] = P(0.19 * sign, shoulder[1], shoulder[0] + UPPER_ARM + FOREARM)
    _head(points, shoulder, lean)
    return points, truth


def _hip_forward(shin: float, knee_angle: float) -> float:
    return SHANK * math.sin(math.radians(shin)) + THIGH * math.sin(math.radians(shin - (180 - knee_angle)))


def _solve_shin(knee_angle: float, target: float) -> float:
    low, high = -40.0, 89.0  # hip_forward grows with the shin tilt over this range
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if _hip_forward(middle, knee_angle) < target else (low, middle)
    return (low + high) / 2


def _head(points, shoulder, direction_deg, neck_flexion=0.0):
    nf, nu = _dir(direction_deg + neck_flexion)
    ear = (shoulder[0] + NECK * nf, shoulder[1] + NECK * nu)
    points["left_ear"] = P(0.07, ear[1], ear[0])
    points["right_ear"] = P(-0.07, ear[1], ear[0])
    ff, fu = _dir(direction_deg + neck_flexion + 90)
    points["nose"] = P(0.0, ear[1] + 0.1 * fu, ear[0] + 0.1 * ff)


def _push_up(depth, faulty, asymmetry):
    elbow = _lerp(170.0, 108.0 if "insufficient_depth" in faulty else 85.0, depth)
    bend = (
        _lerp(2.0, 25.0, depth)
        if "hip_sag" in faulty
        else (_lerp(-2.0, -30.0, depth) if "hips_piked" in faulty else 2.0)
    )
    flare = 80.0 if "flared_elbows" in faulty else 0.0
    points = {}
    d = math.sqrt(UPPER_ARM**2 + FOREARM**2 - 2 * UPPER_ARM * FOREARM * math.cos(math.radians(elbow)))
    wrist_up = 0.02
    shoulder = (0.0, wrist_up + d)
    sigma = math.acos((UPPER_ARM**2 + d**2 - FOREARM**2) / (2 * UPPER_ARM * d))
    r1, r2 = TRUNK, LEG
    s = math.radians(bend)
    distance = math.sqrt(r1**2 + r2**2 + 2 * r1 * r2 * math.cos(s))
    ankle = (-math.sqrt(distance**2 - (shoulder[1] - ANKLE_HEIGHT) ** 2), ANKLE_HEIGHT)
    e = ((ankle[0] - shoulder[0]) / distance, (ankle[1] - shoulder[1]) / distance)
    n = (-e[1], e[0]) if -e[1] * 0 + e[0] < 0 else (e[1], -e[0])
    if n[1] > 0:
        n = (-n[0], -n[1])  # n points towards the floor
    delta = math.asin(r2 * math.sin(abs(s)) / distance) * (1 if bend >= 0 else -1)
    hip = (
        shoulder[0] + r1 * (math.cos(delta) * e[0] + math.sin(delta) * n[0]),
        shoulder[1] + r1 * (math.cos(delta) * e[1] + math.sin(delta) * n[1]),
    )
    knee = (hip[0] + (ankle[0] - hip[0]) * THIGH / LEG, hip[1] + (ankle[1] - hip[1]) * THIGH / LEG)
    for side, sign in (("left", 1.0), ("right", -1.0)):
        w_back, w_out = math.cos(math.radians(flare)), math.sin(math.radians(flare))
        down = math.cos(sigma)
        out = math.sin(sigma)
        x0 = 0.2 * sign
        points[f"{side}_wrist"] = P(x0, wrist_up, 0.0)
        points[f"{side}_shoulder"] = P(x0, shoulder[1], shoulder[0])
        points[f"{side}_elbow"] = P(
            x0 + sign * UPPER_ARM * out * w_out, shoulder[1] - UPPER_ARM * down, -UPPER_ARM * out * w_back
        )
        points[f"{side}_hip"] = P(0.12 * sign, hip[1], hip[0])
        points[f"{side}_knee"] = P(0.1 * sign, knee[1], knee[0])
        points[f"{side}_ankle"] = P(0.1 * sign, ankle[1], ankle[0])
        points[f"{side}_heel"] = P(0.1 * sign, ankle[1] + 0.04, ankle[0] - 0.04)
        points[f"{side}_foot_index"] = P(0.1 * sign, 0.0, ankle[0] + 0.05)
    body = math.degrees(math.atan2(shoulder[0] - hip[0], shoulder[1] - hip[1]))
    _head(points, shoulder, body)
    truth = {"elbow_left": elbow, "elbow_right": elbow, "body_bend": bend}
    return points, truth


def _lunge(depth, faulty, asymmetry, front="left"):
    front_knee = _lerp(175.0, 120.0 if "insufficient_depth" in faulty else 90.0, depth)
    shin_tilt = _lerp(0.0, 40.0 if "knee_past_toes" in faulty else 10.0, depth)
    back_knee = _lerp(175.0, 98.0, depth)
    back_thigh = _lerp(-5.0, -12.0, depth)
    lean = _lerp(3.0, 42.0 if "excessive_trunk_lean" in faulty else 10.0, depth)
    points, truth = {}, {"trunk_lean": lean}
    legs = {}
    for side, sign in (("left", 1.0), ("right", -1.0)):
        is_front = side == front
        knee_angle = front_knee if is_front else back_knee
        thigh = (180 - knee_angle - shin_tilt) if is_front else back_thigh
        shin = thigh - (180 - knee_angle)
        # thigh/shin angles measured from straight down, positive towards forward
        knee = (THIGH * math.sin(math.radians(thigh)), -THIGH * math.cos(math.radians(thigh)))
        ankle = (knee[0] + SHANK * math.sin(math.radians(shin)), knee[1] - SHANK * math.cos(math.radians(shin)))
        legs[side] = (sign, knee, ankle, is_front)
        truth[f"knee_{side}"] = knee_angle
    lift = ANKLE_HEIGHT - legs[front][2][1]
    for side, (sign, knee, ankle, is_front) in legs.items():
        x = 0.12 * sign
        points[f"{side}_hip"] = P(x, lift, 0.0)
        points[f"{side}_knee"] = P(x, knee[1] + lift, knee[0])
        points[f"{side}_ankle"] = P(x, ankle[1] + lift, ankle[0])
        if is_front:
            points[f"{side}_heel"] = P(x, ankle[1] + lift - 0.06, ankle[0] - 0.05)
            points[f"{side}_foot_index"] = P(x, ankle[1] + lift - ANKLE_HEIGHT, ankle[0] + 0.15)
        else:
            points[f"{side}_heel"] = P(x, ankle[1] + lift + 0.03, ankle[0] - 0.04)
            points[f"{side}_foot_index"] = P(x, ankle[1] + lift - 0.07, ankle[0] + 0.1)
    lf, lu = _dir(lean)
    shoulder = (TRUNK * lf, lift + TRUNK * lu)
    for side, sign in (("left", 1.0), ("right", -1.0)):
        points[f"{side}_shoulder"] = P(0.19 * sign, shoulder[1], shoulder[0])
        points[f"{side}_elbow"] = P(0.21 * sign, shoulder[1] - UPPER_ARM, shoulder[0])
        points[f"{side}_wrist"] = P(0.21 * sign, shoulder[1] - UPPER_ARM - FOREARM, shoulder[0])
    _head(points, shoulder, lean)
    return points, truth


def _jumping_jack(depth, faulty, asymmetry):
    arm_peak = 130.0 if "incomplete_arm_abduction" in faulty else 172.0
    leg = _lerp(3.0, 6.0 if "incomplete_leg_abduction" in faulty else 18.0, depth)
    lag = 50.0 if "asymmetric_arms" in faulty else 0.0
    points, truth = {}, {}
    hip_up = ANKLE_HEIGHT + LEG * math.cos(math.radians(leg))
    shoulder_up = hip_up + TRUNK
    for side, sign in (("left", 1.0), ("right", -1.0)):
        gamma = _lerp(12.0, arm_peak - (lag if side == "right" else 0.0) - asymmetry * (side == "right"), depth)
        truth[f"shoulder_{side}"] = gamma
        truth[f"hip_abduction_{side}"] = leg
        hip = (0.12 * sign, hip_up)
        shoulder = (0.19 * sign, shoulder_up)
        # shoulder→hip direction in (x, up), rotated outwards by gamma
        vx, vu = hip[0] - shoulder[0], hip[1] - shoulder[1]
        length = math.hypot(vx, vu)
        vx, vu = vx / length, vu / length
        a = math.radians(gamma) * sign  # left rotates counter-clockwise (towards +x), right clockwise
        ax, au = vx * math.cos(a) - vu * math.sin(a), vx * math.sin(a) + vu * math.cos(a)
        lx, lu = sign * math.sin(math.radians(leg)), -math.cos(math.radians(leg))
        points[f"{side}_shoulder"] = P(shoulder[0], shoulder[1], 0.0)
        points[f"{side}_elbow"] = P(shoulder[0] + UPPER_ARM * ax, shoulder[1] + UPPER_ARM * au, 0.0)
        points[f"{side}_wrist"] = P(
            shoulder[0] + (UPPER_ARM + FOREARM) * ax, shoulder[1] + (UPPER_ARM + FOREARM) * au, 0.0
        )
        points[f"{side}_hip"] = P(hip[0], hip[1], 0.0)
        points[f"{side}_knee"] = P(hip[0] + THIGH * lx, hip[1] + THIGH * lu, 0.0)
        points[f"{side}_ankle"] = P(hip[0] + LEG * lx, hip[1] + LEG * lu, 0.0)
        points[f"{side}_heel"] = P(hip[0] + LEG * lx, hip[1] + LEG * lu - 0.06, -0.05)
        points[f"{side}_foot_index"] = P(hip[0] + LEG * lx, 0.0, 0.15)
    points["left_ear"] = P(0.07, shoulder_up + NECK, 0.0)
    points["right_ear"] = P(-0.07, shoulder_up + NECK, 0.0)
    points["nose"] = P(0.0, shoulder_up + NECK, 0.1)
    return points, truth


def _sit_up(depth, faulty, asymmetry):
    hip_angle = _lerp(130.0, 68.0 if "incomplete_trunk_flexion" in faulty else 45.0, depth)
    neck = _lerp(5.0, 50.0 if "neck_pull" in faulty else 10.0, depth)
    points = {}
    hip = (0.0, 0.1)
    knee = (hip[0] + THIGH * math.cos(math.radians(45)), hip[1] + THIGH * math.sin(math.radians(45)))
    drop = knee[1] - ANKLE_HEIGHT
    ankle = (knee[0] + math.sqrt(SHANK**2 - drop**2), ANKLE_HEIGHT)
    trunk_dir = math.radians(45 + hip_angle)  # from the forward axis, counter-clockwise towards up
    shoulder = (hip[0] + TRUNK * math.cos(trunk_dir), hip[1] + TRUNK * math.sin(trunk_dir))
    head_dir = trunk_dir - math.radians(neck)
    ear = (shoulder[0] + NECK * math.cos(head_dir), shoulder[1] + NECK * math.sin(head_dir))
    for side, sign in (("left", 1.0), ("right", -1.0)):
        points[f"{side}_hip"] = P(0.12 * sign, hip[1], hip[0])
        points[f"{side}_knee"] = P(0.1 * sign, knee[1], knee[0])
        points[f"{side}_ankle"] = P(0.1 * sign, ankle[1], ankle[0])
        points[f"{side}_heel"] = P(0.1 * sign, 0.02, ankle[0] - 0.05)
        points[f"{side}_foot_index"] = P(0.1 * sign, 0.0, ankle[0] + 0.15)
        points[f"{side}_shoulder"] = P(0.19 * sign, shoulder[1], shoulder[0])
        points[f"{side}_elbow"] = P(0.3 * sign, ear[1], ear[0])
        points[f"{side}_wrist"] = P(0.08 * sign, ear[1], ear[0] - 0.05)
        points[f"{side}_ear"] = P(0.07 * sign, ear[1], ear[0])
    points["nose"] = P(
        0.0, ear[1] + 0.1 * math.sin(head_dir - math.pi / 2), ear[0] + 0.1 * math.cos(head_dir - math.pi / 2)
    )
    truth = {"hip_left": hip_angle, "hip_right": hip_angle, "neck_flexion": neck}
    return points, truth


BUILDERS = {
    "squat": _squat,
    "push_up": _push_up,
    "lunge": _lunge,
    "jumping_jack": _jumping_jack,
    "sit_up": _sit_up,
}
DEFAULT_VIEW = {"squat": "side", "push_up": "side", "lunge": "side", "jumping_jack": "front", "sit_up": "side"}
