"""The header spellings of real customer and contact exports, and what each may feed.

Data only: the mapping stage compares a file's headers, after `fold()` (case,
accents, spaces and punctuation removed), with the spellings below. They come
from the exports merchants leave behind: Shopify (customers and orders),
WooCommerce and WordPress, Mailchimp, HubSpot, Google Contacts (both CSV
layouts), Outlook, PayPal, Stripe, Etsy and Salesforce; `tests/layouts.py`
keeps each export's real header row and names where it was taken from.

Within a field the spellings are in order of preference: the first one present
in a file wins, so a customer's name is taken from `Billing Name` before a bare
`Name` (an order number such as `#1001` in a Shopify orders export), and a
main phone before a mobile, a mobile before a home or work phone, and those
before the phone of an address. For `phone` the whole order matters, not only
its head: each row takes the first non-blank of all the phone columns a file
has, in this order, so a contact whose main phone is blank keeps their mobile.
"""

from __future__ import annotations

# Preferred spelling first within each field. Every spelling is already folded
# and belongs to one field only (tests/test_layouts.py checks both).
ALIASES: dict[str, tuple[str, ...]] = {
    "email": (
        "email", "emailaddress", "email1", "email1value", "mail", "emailid", "useremail",
        "customeremail", "contactemail", "primaryemail", "billingemail", "fromemailaddress",
        "courriel", "correo", "correoelectronico",
    ),
    # A column that names the customer ranks above a bare "Name", which in an
    # orders export is the order number; billing before shipping, because the
    # shipping name may be a gift's recipient.
    "name": (
        "fullname", "customername", "contactname", "clientname", "billingname", "shippingname",
        "displayname", "name", "customer", "nombre", "nomcomplet",
    ),
    "first_name": ("firstname", "givenname", "first", "forename", "billingfirstname", "prenom", "vorname"),
    "last_name": ("lastname", "familyname", "surname", "last", "billinglastname", "nachname", "apellido"),
    "phone": (
        # The main phone.
        "phone", "phonenumber", "primaryphone", "telephone", "telephonenumber", "tel", "phone1",
        "phone1value", "contactphone", "contactphonenumber", "telefono", "telefon",
        # Mobile.
        "mobile", "mobilephone", "mobilephonenumber", "mobilenumber", "cellphone", "cell",
        "smsphonenumber",
        # Home, work and the other numbers of a contact.
        "homephone", "businessphone", "workphone", "otherphone", "phone2", "phone2value", "phone3",
        "phone3value", "phone4value", "phone5value", "phone6value", "homephone2", "businessphone2",
        # The phone of an address, last: it may be a recipient's or a company's.
        "defaultaddressphone", "addressphone", "billingphone", "shippingphone",
    ),
    "active": ("active", "status", "isactive", "enabled", "customerstatus", "accountstatus"),
    "user": ("user", "userid", "linkeduser", "platformuserid"),
}

# Marketing-consent, subscription and opt-in columns: whether someone agreed to
# receive newsletters says nothing about whether their account is active, so
# none of these ever feeds `active` (none is an alias of any field).
CONSENT_HEADERS: frozenset[str] = frozenset({
    # Shopify customers and orders.
    "acceptsemailmarketing", "acceptssmsmarketing", "acceptsmarketing", "acceptswhatsappmarketing",
    # Klaviyo profiles.
    "emailmarketingconsent", "emailmarketingconsenttimestamp", "smsconsent", "smsmarketingconsent",
    "smsconsenttimestamp",
    # Mailchimp audiences.
    "optintime", "optinip",
    # Square, Wix and HubSpot.
    "emailsubscriptionstatus", "emailsubscriberstatus", "smssubscriberstatus", "marketingcontactstatus",
    # Zoho and Salesforce.
    "emailoptout", "hasoptedoutofemail",
    # The spellings of hand-kept lists.
    "subscribed", "unsubscribed", "subscriptionstatus", "subscriberstatus", "subscription",
    "newsletter", "optin", "optinstatus", "optedin", "optout", "optedout", "emailoptin",
    "marketingoptin", "marketingconsent", "emailconsent", "marketingstatus", "emailmarketingstatus",
    "consent",
})

# Platform record ids, such as WordPress's and WooCommerce's `User ID` (17, 18,
# ...). They feed `user` only when their values look like 24-hex ObjectIds,
# the store's user ids; otherwise the column is left out, with a note.
USER_ID_HEADERS: frozenset[str] = frozenset({"user", "userid"})

# A bare Status feeds `active` only when its values read as active/inactive
# words: in PayPal, Stripe and Etsy exports it holds a transaction's or a
# subscription's state (Completed, Pending, past_due, canceled).
STATUS_HEADERS: frozenset[str] = frozenset({"status"})

# Google Contacts writes several values of one field into one cell, joined by
# this; the first value is the one to take.
MULTI_VALUE_SEPARATOR = " ::: "

# The words exports and hand-kept sheets use for an active (or inactive) customer:
# English, the TRUE and FALSE that Excel writes in each language it ships in (a CSV
# saved by Swedish Excel says SANT and FALSKT), and the yes and no of those languages.
# Written as people write them; compared after casefold().
_TRUE = (
    "true t yes y 1 active enabled enable subscribed on x"
    " wahr ja vrai oui verdadero sí si vero sì verdadeiro sim waar sant sand sann tosi kyllä prawda tak"
    " pravda ano áno igaz igen doğru dogru evet истина да так істина cert jah tõene ναι αληθές αληθεσ"
    " adevărat adevarat točno tocno benar ya taip jā oo có ใช่ हाँ हां نعم כן はい 是 예"
)
_FALSE = (
    "false f no n 0 inactive disabled disable unsubscribed off"
    " falsch nein faux non falso não nao onwaar nee falskt nej falsk usann nei epätosi ei fałsz falsz nie"
    " nepravda ne hamis nem yanlış yanliş yanlis hayır hayir ложь нет хибність ні fals väär όχι οχι ψευδές ψευδεσ"
    " netočno netocno nu salah tidak nē hindi không не नहीं لا לא ไม่ いいえ 否 아니요 아니오"
)
# Check marks: what a column of ticks holds for yes (☐, an empty box, is a no). A
# crossed mark (✗, ☒) is left unread: some lists tick with it, others cross out with it.
TICK_MARKS = frozenset("✓✔☑✅")
TRUE_WORDS = frozenset({word.casefold() for word in _TRUE.split()} | TICK_MARKS)
FALSE_WORDS = frozenset({word.casefold() for word in _FALSE.split()} | {"☐"})
# What a merchant is told a cell of the active column may hold.
ACTIVE_SPELLINGS = "yes/no, true/false, active/inactive, 1/0, x or ✓ for yes, and Excel's TRUE/FALSE and yes/no in its languages (WAHR/FALSCH, VRAI/FAUX, SANT/FALSKT, ja/nein, oui/non ...)"


def parse_active(raw: str, blank: bool = True) -> bool | None:
    """The `active` flag from the words spreadsheets use; a blank cell is `blank`, None means unreadable.

    A blank means active in a column of yes and no; in a column of ticks (see
    `ticks_only`) it is the unticked box, so the caller passes False.
    """
    word = raw.strip().casefold()
    if not word:
        return blank
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def ticks_only(filled: list[str]) -> str | None:
    """The first tick of a column whose filled cells all say yes (`x`, `✓`, `yes`, `1` ...): there a blank is the no.

    None when the column also says no in words, holds anything else, or is blank throughout.
    """
    if not filled or not all(parse_active(value) is True for value in filled):
        return None
    return filled[0]
