"""Safety API: risk assessments and risk bands (mounted under /api/v1/safety/)."""

from rest_framework.routers import SimpleRouter

from safety.api import risk_views as views

router = SimpleRouter()
router.register("risk-assessments", views.RiskAssessmentViewSet, basename="safety-risk-assessment")
router.register("risk-bands", views.RiskBandViewSet, basename="safety-risk-band")

urlpatterns = router.urls
