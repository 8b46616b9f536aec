"""The app's models, one module per noun; every name is re-exported here (migrations refer to assessments.models.*)."""

from assessments.models.accounts import (  # noqa: F401
    Role,
    User,
)
from assessments.models.collectives import (  # noqa: F401
    Collective,
    CollectiveKind,
    CollectiveRating,
    LeaderRating,
    Position,
    Title,
)
from assessments.models.criteria import (  # noqa: F401
    ITEM_CODE_VALIDATOR,
    MEMBER_GROUPS,
    CriteriaGroup,
    CriteriaItem,
    CriteriaSet,
    FramePart,
    ItemScore,
    SubjectGroup,
)
from assessments.models.cycle import (  # noqa: F401
    EDITABLE_STATUSES,
    ReviewDocument,
    SelfAssessmentDocument,
    SelfAssessmentForm,
    Submission,
    SubmissionStatus,
    YearCycle,
    _review_upload_to,
    _self_assessment_upload_to,
)
from assessments.models.discipline import (  # noqa: F401
    MEMBER_FORMS,
    ORGANIZATION_FORMS,
    Discipline,
    DisciplineForm,
    MemberStatusKind,
    MemberStatusSpan,
    form_severity,
)
from assessments.models.documents import (  # noqa: F401, E402
    DocumentKind,
    IssuedDocument,
    _issued_upload_to,
)
from assessments.models.imports import (  # noqa: F401
    ImportRecord,
    _import_upload_to,
)
from assessments.models.members import (  # noqa: F401
    Gender,
    Member,
    Membership,
    MemberStatus,
)
from assessments.models.notices import (  # noqa: F401
    Notice,
    NoticeKind,
)
from assessments.models.organizations import (  # noqa: F401
    CODE_VALIDATOR,
    CYCLE_KINDS,
    GRASSROOTS_KINDS,
    MAX_YEAR,
    MEMBER_KINDS,
    MIN_YEAR,
    YEAR_VALIDATORS,
    Kind,
    Organization,
    OrganizationQuerySet,
    Sector,
    held,
    year_end,
)
from assessments.models.periods import (  # noqa: F401
    QUARTERS,
    Period,
    period_field,
    period_parse,
    year_and_period_code,
)
from assessments.models.ratings import (  # noqa: F401
    MEMBER_REASONS,
    UNIT_REASONS,
    AssessmentQuerySet,
    CivilServantLevel,
    MemberAssessment,
    NotRatedReason,
    UnitAssessment,
    period_label,
    rating_of,
)
from assessments.models.regulation import (  # noqa: F401
    NO_SECTOR_GROUP,
    GuidancePeriod,
    PeriodRule,
    RatingWord,
    Rule,
    RuleOverride,
    RuleSetting,
    cap_group_label,
)
from assessments.models.schemes import (  # noqa: F401
    _SCHEMES_BY_YEAR,
    RatingLevel,
    RatingScheme,
    RatingSchemeQuerySet,
    Subject,
)
from assessments.models.summaries import (  # noqa: F401
    Summary,
)
