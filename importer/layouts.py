"""The headers the platforms merchants leave actually export, folded, for each customer field.

Data only: `columns.py` decides with it. Preferred spellings first: the first alias
present in a file wins, and every recognised phone column is kept in this order
(a row's phone is the first of them that is filled in).
"""

from __future__ import annotations

# Preferred spellings first: the first alias present in a file wins, so a main
# phone column is taken before an address phone.
ALIASES: dict[str, tuple[str, ...]] = {
    "email": (
        "email", "emailaddress", "mail", "emailid", "useremail", "customeremail", "contactemail",
        "primaryemail", "email1", "billingemail", "courriel", "correo", "correoelectronico",
    ),
    "name": (
        "name", "fullname", "customername", "contactname", "clientname", "displayname",
        "customer", "nombre", "nomcomplet",
    ),
    "first_name": ("firstname", "givenname", "first", "forename", "billingfirstname", "prenom", "vorname"),
    "last_name": ("lastname", "familyname", "surname", "last", "billinglastname", "nachname", "apellido"),
    "phone": (
        "phone", "phonenumber", "mobile", "mobilephone", "mobilephonenumber", "mobilenumber", "cellphone",
        "cell", "telephone", "tel", "phone1", "smsphonenumber", "contactphone", "billingphone",
        "defaultaddressphone", "shippingphone", "addressphone", "telefono", "telefon",
    ),
    "active": ("active", "status", "isactive", "enabled", "customerstatus", "accountstatus"),
    "user": ("user", "userid", "linkeduser", "platformuserid"),
}
# Marketing consent and subscription status say nothing of whether the customer is active.
CONSENT_HEADERS = frozenset({
    "acceptsmarketing", "acceptsemailmarketing", "acceptssmsmarketing", "emailmarketingconsent", "smsmarketingconsent",
    "emailsubscriptionstatus", "emailsubscriberstatus", "subscriptionstatus", "subscribed", "optin", "marketingoptin",
    "newsletter",
})
# Columns that name an account in another system; `user` only when their values are Salesive user ids.
USER_ID_HEADERS = frozenset({"userid", "user", "linkeduser", "platformuserid"})
# Google Contacts puts several values in one cell, joined by this.
MULTI_VALUE_SEPARATOR = " ::: "
