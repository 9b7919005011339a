"""Picklists of the case family.

Values are the Human Trafficking Case Data Standard 2.0 spellings wherever the
standard has the field (the comment names it); Homeward's additions use the
same CamelCase style so that exchange files read alike (``x_*`` columns).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Gender(models.TextChoices):  # prs_Gender
    FEMININE = "Feminine", _("Female")
    MASCULINE = "Masculine", _("Male")
    TRANSGENDER_FEMININE = "TransgenderFeminine", _("Transgender female")
    TRANSGENDER_MASCULINE = "TransgenderMasculine", _("Transgender male")
    NON_CONFORMING = "NonConforming", _("Gender non-conforming")
    UNKNOWN = "NonSpecifiedUnknown", _("Not specified / unknown")


class MaritalStatus(models.TextChoices):  # prs_MaritalStatus
    SINGLE = "Single", _("Single")
    MARRIED = "Married", _("Married")
    WIDOWED = "Widowed", _("Widowed")
    DIVORCED = "Divorced", _("Divorced")
    SEPARATED = "Separated", _("Separated")
    REGISTERED_PARTNERSHIP = "RegisteredPartnership", _("Registered partnership")


class Education(models.TextChoices):  # prs_HighestLevelOfEducation (ISCED 2011)
    EARLY_CHILDHOOD = "EarlyChildhoodEducation", _("Early childhood education")
    PRIMARY = "PrimaryEducation", _("Primary education")
    LOWER_SECONDARY = "LowerSecondaryEducation", _("Lower secondary education")
    UPPER_SECONDARY = "UpperSecondaryEducation", _("Upper secondary education")
    POST_SECONDARY = "PostSecondaryNonTertiaryEducation", _("Vocational (post-secondary)")
    SHORT_CYCLE_TERTIARY = "ShortCycleTertiaryEducation", _("Short-cycle tertiary")
    BACHELORS = "BachelorsOrEquivalentLevel", _("Bachelor's or equivalent")
    MASTERS = "MastersOrEquivalentLevel", _("Master's or equivalent")
    DOCTORAL = "DoctoralOrEquivalentLevel", _("Doctoral or equivalent")


class IdentityDocumentKind(models.TextChoices):
    PASSPORT = "Passport", _("Foreign travel passport")
    INTERNAL_PASSPORT = "InternalPassport", _("Internal passport")
    BIRTH_CERTIFICATE = "BirthCertificate", _("Birth certificate")
    RETURN_CERTIFICATE = "ReturnCertificate", _("Certificate of return")
    OTHER = "Other", pgettext_lazy("document", "Other")


class CaseKind(models.TextChoices):
    VICTIM = "Victim", _("Victim case")
    MISSING_PERSON = "MissingPerson", _("Missing person")


class CaseStatus(models.TextChoices):  # cas_Status
    ACTIVE = "Active", pgettext_lazy("case status", "Active")
    FOLLOW_UP = "FollowUp", _("Follow-up")
    CLOSED = "Closed", pgettext_lazy("case status", "Closed")
    CLOSED_REFERRED = "ClosedReferred", _("Closed — referred")


OPEN_STATUSES = (CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP)
CLOSED_STATUSES = (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED)


class Step(models.TextChoices):
    """The path of a case; see :data:`homeward.cases.services.STEP_TRANSITIONS`."""

    IDENTIFICATION = "Identification", _("Identification")
    RESCUE = "Rescue", _("Rescue")
    REPATRIATION = "Repatriation", _("Repatriation")
    REHABILITATION = "Rehabilitation", _("Rehabilitation")
    REINTEGRATION = "Reintegration", _("Reintegration")
    MONITORING = "Monitoring", _("Monitoring")
    CLOSED = "Closed", pgettext_lazy("case step", "Closed")


STEP_ORDER: list[str] = list(Step.values)


class TraffickingStatus(models.TextChoices):  # vic_TraffickingStatus
    POSSIBLE = "PossibleVictimOfTrafficking", _("Possible victim of trafficking")
    ACTUAL = "ActualVictimOfTrafficking", _("Victim of trafficking")
    NOT_A_VICTIM = "NotAVictimOfTrafficking", _("Not a victim of trafficking")


class DecisionMaker(models.TextChoices):  # vic_TraffickingStatusDecisionMakingOrg
    POLICE = "Police", _("Police")
    NGO = "NGO", _("NGO")
    COURT_OR_PROSECUTION = "CourtOrProsecution", _("Court or prosecution")
    NON_POLICE_GOVERNMENTAL = "NonPoliceGovernmentalOrganization", _("Other government body")
    OTHER = "Other", pgettext_lazy("decided by", "Other")


class ReferralSource(models.TextChoices):  # x_ReferralSource (the seeds' categories)
    IOM_MISSION = "IomMission", _("IOM mission abroad")
    LAW_ENFORCEMENT = "LawEnforcement", _("Law enforcement")
    NGO = "Ngo", _("NGO")
    HOTLINE = "Hotline", _("Hotline")
    JOINT_OPERATION = "JointOperation", _("Joint IOM/NGO/police operation")
    EMBASSY = "Embassy", _("Embassy or consulate")
    CITY_AUTHORITIES = "CityAuthorities", _("City authorities")
    UN_AGENCY = "UnAgency", _("UN agency")
    JOURNALIST = "Journalist", _("Journalist")
    CHURCH = "Church", _("Church")
    SELF = "Self", _("Self-referral")
    FAMILY = "Family", _("Family")
    OTHER = "Other", pgettext_lazy("referral source", "Other")


class RelationshipToTrafficker(models.TextChoices):  # vic_RelationshipToTrafficker
    FAMILIAL = "Familial", _("Family member")
    ACQUAINTED = "Acquainted", _("Acquaintance")
    UNACQUAINTED = "Unaquainted", _("Stranger")  # the standard's own spelling


class MethodOfRecruitment(models.TextChoices):  # vic_MethodOfRecruitment
    PLACE_OF_BUSINESS = "AtAPlaceOfBusiness", _("At a place of business")
    EDUCATIONAL_INSTITUTION = "AtAnEducationalInstitution", _("At an educational institution")
    AT_WORK = "AtWork", _("At work")
    ONLINE_SOCIAL_NETWORKS = "ThroughOnlineSocialNetworks", _("Online social networks")
    ONLINE_ADVERTISEMENT = "ThroughAnOnlineAdvertisement", _("Online advertisement")
    TELEVISION_ADVERT = "ThroughATelevisionAdvert", _("Television advertisement")
    NEWSPAPER_ADVERT = "ThroughANewspaperAdvert", _("Newspaper advertisement")
    FAMILY = "ThroughFamilyOrFamilyEvents", _("Through family")
    FRIENDS = "ThroughFriendsOrSocialEvents", _("Through friends or social events")
    OTHER = "Other", pgettext_lazy("recruitment", "Other")


class RecruitmentChannel(models.TextChoices):  # x_RecruitmentChannel (the seeds' tables)
    PERSONAL_CONTACT = "PersonalContact", _("Personal contact")
    NEWSPAPER = "NewspaperAdvertisement", _("Newspaper advertisement")
    EMPLOYMENT_AGENCY = "EmploymentAgency", _("Fake employment agency")
    MODELLING_AGENCY = "ModellingAgency", _("Modelling agency")
    TOUR_AGENCY = "TourAgency", _("Tour or travel agency")
    MARRIAGE_AGENCY = "MarriageAgency", _("Marriage agency")
    NEIGHBOUR_OR_FAMILY = "NeighbourOrFamily", _("Neighbour or family member")
    INTERNET = "Internet", _("Internet")
    KIDNAPPING = "Kidnapping", _("Kidnapping")
    OTHER = "Other", pgettext_lazy("recruitment", "Other")


class MethodOfControl(models.TextChoices):  # vic_MethodsOfControl
    PHYSICAL_THREATS = "PhysicalThreats", _("Physical threats")
    THREATS_LAW_ENFORCEMENT = "ThreatsLawEnforcement", _("Threats of police or deportation")
    THREATENS_FAMILY = "ThreatensChildrenFamily", _("Threats to children or family")
    DEBT_BONDAGE = "DebtBondage", _("Debt bondage")
    FALSE_PROMISES = "FalsePromises", _("False promises")
    PHYSICAL_ABUSE = "PhysicalAbuse", _("Physical abuse")
    SEXUAL_ABUSE = "SexualAbuse", _("Sexual abuse")
    TAKES_EARNINGS = "TakesEarnings", _("Takes earnings")
    RESTRICTS_FINANCIAL_ACCESS = "RestrictsFinancialAccess", _("Restricts access to money")
    RESTRICTS_MEDICAL_CARE = "RestrictsMedicalCare", _("Restricts medical care")
    WITHHOLDS_NECESSITIES = "WithholdsNecessities", _("Withholds necessities")
    PSYCHOLOGICAL_ABUSE = "PsychologicalAbuse", _("Psychological abuse")
    PSYCHOACTIVE_SUBSTANCE = "PsychoactiveSubstance", _("Forced use of drugs or alcohol")
    EXCESSIVE_WORKING_HOURS = "ExcessiveWorkingHours", _("Excessive working hours")
    WITHHOLDS_DOCUMENTS = "WithholdsDocuments", _("Confiscated documents")
    OTHER = "Other", pgettext_lazy("control", "Other")


class ExploitationType(models.TextChoices):  # vic_TypeOfExploitation
    FORCED_LABOUR = "ForcedLabour", _("Forced labour")
    SEXUAL_EXPLOITATION = "SexualExploitation", _("Sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("Child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("Forced marriage")
    SERVITUDE = "Servitude", _("Servitude")
    FORCED_MILITARY = "ForcedMilitaryByNonStateActors", _("Forced military service")
    ORGAN_REMOVAL = "OrganRemoval", _("Organ removal")
    FORCED_BEGGING = "ForcedBegging", _("Forced begging")
    FORCED_ADOPTION = "ForcedAdoption", _("Illegal adoption")
    SURROGACY = "Surrogacy", _("Surrogacy")
    OTHER = "Other", pgettext_lazy("exploitation", "Other")


class ForcedLabourIndustry(models.TextChoices):  # vic_ForcedLabourIndustry (ISIC sections)
    AGRICULTURE = "A_AgricultureForestryAndFishing", _("Agriculture, forestry and fishing")
    MINING = "B_MiningAndQuarrying", _("Mining and quarrying")
    MANUFACTURING = "C_Manufacturing", _("Manufacturing")
    ENERGY = "D_ElectricityGasSteamAndAirConditioningSupply", _("Energy supply")
    WATER = "E_WaterSupplySewerageWasteManagement", _("Water supply and waste management")
    CONSTRUCTION = "F_Construction", _("Construction")
    TRADE = "G_WholesaleAndRetailTradeRepairOfMotorVehicles", _("Trade and vehicle repair")
    TRANSPORT = "H_TransportationAndStorage", _("Transport and storage (incl. maritime)")
    ACCOMMODATION = "I_AccommodationAndFoodServiceActivities", _("Hotels and restaurants")
    INFORMATION = "J_InformationAndCommunication", _("Information and communication")
    FINANCE = "K_FinancialAndInsuranceActivities", _("Finance and insurance")
    REAL_ESTATE = "L_RealEstateActivities", _("Real estate")
    PROFESSIONAL = "M_ProfessionalScientificAndTechnicalActivities", _("Professional services")
    ADMINISTRATIVE = "N_AdministrativeAndSupportServiceActivities", _("Support services")
    PUBLIC_ADMINISTRATION = "O_PublicAdministrationAndDefence", _("Public administration")
    EDUCATION = "P_Education", _("Education")
    HEALTH = "Q_HumanHealthAndSocialWorkActivities", _("Health and social work")
    ARTS = "R_ArtsEntertainmentAndRecreation", _("Arts and entertainment")
    OTHER_SERVICES = "S_OtherServiceActivities", _("Other services")
    HOUSEHOLDS = "T_ActivitiesOfHouseholdsAsEmployers", _("Domestic work")
    EXTRATERRITORIAL = "U_ActivitiesOfExtraterritorialOrganizations", _("Extraterritorial bodies")


class SexExploitationType(models.TextChoices):  # vic_TypeOfSexExploitation
    PROSTITUTION = "Prostitution", _("Prostitution")
    PORNOGRAPHY = "Pornography", _("Pornography")
    REMOTE_INTERACTIVE = "RemoteInteractiveServices", _("Remote interactive services")
    PRIVATE_SEXUAL_SERVICES = "PrivateSexualServices", _("Private sexual services")


class EventType(models.TextChoices):  # hte_Type
    RECRUITMENT = "Recruitment", _("Recruitment")
    TRANSIT = "Transit", _("Transit")
    EXPLOITATION = "Exploitation", _("Exploitation")


class TransportMode(models.TextChoices):  # x_TransportModes
    TRAIN = "Train", _("Train")
    PLANE = "Plane", _("Plane")
    FERRY = "Ferry", _("Ferry")
    BOAT = "Boat", _("Boat")
    CAR = "Car", _("Car")
    BUS = "Bus", _("Bus")
    ON_FOOT = "OnFoot", _("On foot")
    OTHER = "Other", pgettext_lazy("transport", "Other")


class ConsentPurpose(models.TextChoices):
    ASSISTANCE = "Assistance", _("Assistance")
    DATA_SHARING = "DataSharing", _("Sharing data with an organisation")
    MEDICAL = "Medical", _("Medical examination and treatment")
    STATISTICS = "Statistics", _("Use in statistics")
    PHONE_CONTACT = "PhoneContact", _("Contact by phone")


class ConsentDecision(models.TextChoices):
    GIVEN = "Given", _("Given")
    REFUSED = "Refused", _("Refused")
    WITHDRAWN = "Withdrawn", _("Withdrawn")


class ConsentGivenBy(models.TextChoices):
    PERSON = "Person", _("The person")
    PARENT = "Parent", _("Parent")
    GUARDIAN = "Guardian", _("Legal guardian")
    SOCIAL_SUPPORT = "SocialSupport", _("City social support department")


# Who may consent for a minor.
GUARDIAN_CONSENTERS = (
    ConsentGivenBy.PARENT, ConsentGivenBy.GUARDIAN, ConsentGivenBy.SOCIAL_SUPPORT,
)


class ConsentForm(models.TextChoices):
    ORAL = "Oral", _("Oral")
    SIGNED = "Signed", _("Signed")


class GuardianKind(models.TextChoices):
    PARENT = "Parent", _("Parent")
    GUARDIAN = "Guardian", _("Legal guardian")
    SOCIAL_SUPPORT = "SocialSupport", _("City social support department")


class ReporterRelationship(models.TextChoices):
    PARENT = "Parent", _("Parent")
    SPOUSE = "Spouse", _("Spouse or partner")
    SIBLING = "Sibling", _("Brother or sister")
    CHILD = "Child", _("Son or daughter")
    OTHER_RELATIVE = "OtherRelative", _("Other relative")
    FRIEND = "Friend", _("Friend")
    OTHER = "Other", pgettext_lazy("relationship", "Other")


class RescueOutcome(models.TextChoices):
    IN_PROGRESS = "InProgress", _("In progress")
    RESCUED = "Rescued", _("Rescued")
    NOT_FOUND = "NotFound", pgettext_lazy("outcome", "Not found")
    REFUSED_HELP = "RefusedHelp", _("Refused help")
    OTHER = "Other", pgettext_lazy("outcome", "Other")


class TravelDocumentStatus(models.TextChoices):
    VALID = "Valid", _("Has a valid document")
    LOST = "Lost", _("Lost")
    CONFISCATED = "Confiscated", _("Confiscated")
    APPLIED = "AppliedAtConsulate", _("Application with the consulate")
    ISSUED = "Issued", _("New document issued")


class DestinationKind(models.TextChoices):
    HOME_REGION = "HomeRegion", _("Home region")
    NEW_REGION = "NewRegion", _("New region (chosen for safety)")


class MoveKind(models.TextChoices):
    TRANSFER_TO_SHELTER = "ToShelter", _("Transfer to a shelter")
    TRANSFER_TO_REGION = "ToRegion", _("Travel to a region")
    MEDICAL_VISIT = "MedicalVisit", _("Visit to a clinic")
    COURT = "Court", _("Court or police appointment")
    OTHER = "Other", pgettext_lazy("move", "Other")


class Article(models.TextChoices):
    TRAFFICKING = "127.1", _("Art. 127.1 — trafficking in persons")
    SLAVE_LABOUR = "127.2", _("Art. 127.2 — use of slave labour")
    OTHER = "Other", pgettext_lazy("article", "Other")


class ProceedingStage(models.TextChoices):
    REPORT = "Report", _("Report filed")
    INVESTIGATION = "Investigation", _("Investigation")
    COURT = "Court", _("Court")
    VERDICT = "Verdict", _("Verdict")


class ProceedingRole(models.TextChoices):
    VICTIM = "Victim", _("Victim")
    WITNESS = "Witness", _("Witness")
    VICTIM_AND_WITNESS = "VictimAndWitness", _("Victim and witness")


class MedicalExamKind(models.TextChoices):
    SCREENING = "Screening", _("Medical screening")
    EXAMINATION = "Examination", _("Examination")
    TREATMENT = "Treatment", _("Treatment")
    PROCEDURE = "Procedure", _("Procedure")


class TeamRole(models.TextChoices):
    CASE_WORKER = "CaseWorker", _("Case worker")
    HOTLINE = "Hotline", _("Hotline operator")
    SHELTER = "Shelter", _("Shelter staff")
    MEDICAL = "Medical", _("Medical staff")
    REINTEGRATION = "Reintegration", _("Reintegration social worker")
    COORDINATOR = "Coordinator", _("Coordinator")
