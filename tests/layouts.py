"""The exports merchants bring, as the platforms write them: real header rows and made-up rows.

Each layout keeps a platform's header row exactly, in order (spelling, case,
spaces and duplicates included), with the place it was taken from, two rows of
made-up people (example.com and example.org addresses) written the way the
platform writes cells, and the header each customer field is expected to come
from. For `phone`, the expected header is the preferred one; the other phone
columns stay recognised, so a row whose preferred phone is blank still has one.

`user` and `active` name the header recognition finds; a `USER_ID_HEADERS` or
`STATUS_HEADERS` column (see importer/columns/layouts.py) then feeds the field only if
its values pass the value check, and the rows here say when they do not.

A byte-order mark at the start of a file (Salesforce, Google Sheets) is the
encoding's, not the header's, and is left out.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    """One platform's export: its header row, two rows, and the header each field comes from."""

    platform: str
    source: str
    header: list[str]
    rows: list[list[str]]
    expected: dict[str, str]


def header_of(line: str) -> list[str]:
    """A header row as the platform's CSV line spells it, quotes included."""
    return next(csv.reader([line]))


def row_of(header: list[str], cells: Mapping[str, str | tuple[str, ...]]) -> list[str]:
    """A row under `header`: the named cells filled, every other cell blank.

    A header the platform writes twice (HubSpot) takes a tuple, one value per occurrence.
    """
    row = [""] * len(header)
    for name, value in cells.items():
        positions = [i for i, h in enumerate(header) if h == name]
        values = value if isinstance(value, tuple) else (value,)
        if not positions or len(values) > len(positions):
            raise KeyError(f"{name!r} is not in the header {len(values)} time(s)")
        for position, cell in zip(positions, values):
            row[position] = cell
    return row


def layout(platform: str, source: str, line: str, rows: list[Mapping[str, str | tuple[str, ...]]], expected: dict[str, str]) -> Layout:
    """A layout from the platform's header line and the cells of its rows."""
    header = header_of(line)
    return Layout(platform, source, header, [row_of(header, cells) for cells in rows], expected)


# Shopify, Customers > Export, since 2023: Customer ID first, the default
# address's columns prefixed, ids and phones written with Excel's apostrophe.
# Source: github.com/Mobeen-Dev/Emails_Sender_Bot_script, customers_export.csv
# (a store's own export; its Customer ID and phone cells start with ').
SHOPIFY_CUSTOMERS = layout(
    "Shopify customers",
    "Mobeen-Dev/Emails_Sender_Bot_script: customers_export.csv",
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,"
    "Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,"
    "Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,"
    "Total Spent,Total Orders,Note,Tax Exempt,Tags",
    [
        {"Customer ID": "'7210448301122", "First Name": "Ada", "Last Name": "Obi", "Email": "ada.obi@example.com",
         "Accepts Email Marketing": "yes", "Default Address Address1": "12 Allen Avenue", "Default Address City": "Ikeja",
         "Default Address Province Code": "LA", "Default Address Country Code": "NG",
         "Default Address Phone": "'+2348012345678", "Phone": "'+2348012345678", "Accepts SMS Marketing": "no",
         "Total Spent": "120.50", "Total Orders": "3", "Tax Exempt": "no", "Tags": "vip"},
        {"Customer ID": "'7210448301123", "First Name": "Bola", "Last Name": "Ade", "Email": "bola@example.org",
         "Accepts Email Marketing": "no", "Default Address Phone": "'+14155550100", "Accepts SMS Marketing": "no",
         "Total Spent": "0.00", "Total Orders": "0", "Tax Exempt": "no"},
    ],
    {"first_name": "First Name", "last_name": "Last Name", "email": "Email", "phone": "Phone"},
)

# Shopify's customers export before 2023: no Customer ID, address columns unprefixed.
# Source: github.com/oks234/customer_vip, customers_export_1.csv (the same row in
# GloryToGod26/kin, customers_export_1.csv); phones there read '+49 160 ... or (310) 650-....
SHOPIFY_CUSTOMERS_2022 = layout(
    "Shopify customers (before 2023)",
    "oks234/customer_vip: customers_export_1.csv",
    "First Name,Last Name,Email,Accepts Email Marketing,Company,Address1,Address2,City,Province,Province Code,"
    "Country,Country Code,Zip,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Tags,Note,Tax Exempt",
    [
        {"First Name": "Chidi", "Last Name": "Eze", "Email": "chidi.eze@example.com", "Accepts Email Marketing": "yes",
         "City": "Lagos", "Country": "Nigeria", "Country Code": "NG", "Phone": "'+2348012345678",
         "Accepts SMS Marketing": "no", "Total Spent": "45.00", "Total Orders": "1", "Tax Exempt": "no"},
        {"Email": "newsletter.only@example.org", "Accepts Email Marketing": "yes", "Accepts SMS Marketing": "no",
         "Total Spent": "0.00", "Total Orders": "0", "Tags": "newsletter", "Tax Exempt": "no"},
    ],
    {"first_name": "First Name", "last_name": "Last Name", "email": "Email", "phone": "Phone"},
)

# Shopify, Orders > Export: one row per line item, `Name` is the order number,
# the customer's name is in Billing Name; the order's Phone is often blank
# while the shipping address has one.
# Source: github.com/Diptargha/maison_maria_shopify_api, orders_export_1.csv (the same
# row in zhangerson/shopify_parsing, orders_export.csv).
SHOPIFY_ORDERS = layout(
    "Shopify orders",
    "Diptargha/maison_maria_shopify_api: orders_export_1.csv",
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,"
    "Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,"
    "Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,"
    "Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,"
    "Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,"
    "Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,"
    "Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,"
    "Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,"
    "Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,"
    "Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,"
    "Payment ID,Payment Terms Name,Next Payment Due At,Payment References",
    [
        {"Name": "#1001", "Email": "ngozi@example.com", "Financial Status": "paid", "Accepts Marketing": "no",
         "Currency": "NGN", "Total": "15000.00", "Created at": "2025-03-01 10:15:00 +0100", "Lineitem quantity": "1",
         "Lineitem name": "Ankara Tote", "Billing Name": "Ngozi Okafor", "Billing City": "Abuja",
         "Billing Phone": "+2348031234567", "Shipping Name": "Ngozi Okafor", "Shipping Phone": "+2348031234567",
         "Id": "5512345678901", "Phone": "+2348012345678"},
        {"Name": "#1002", "Email": "tunde@example.org", "Financial Status": "pending", "Accepts Marketing": "yes",
         "Currency": "USD", "Total": "42.00", "Created at": "2025-03-02 09:00:00 -0800", "Lineitem quantity": "2",
         "Lineitem name": "Clay Mug", "Billing Name": "Tunde Bello", "Shipping Name": "Kemi Bello",
         "Shipping Phone": "(+1)4155550100", "Id": "5512345678902"},
    ],
    {"name": "Billing Name", "email": "Email", "phone": "Phone"},
)

# WooCommerce, Analytics > Customers > Download, as written by the emailed export.
# Source: github.com/woocommerce/woocommerce,
# plugins/woocommerce/src/Admin/API/Reports/Customers/Controller.php, get_export_columns()
# (the code that writes the file; the in-browser download of a single page uses the
# table's labels, the same columns in the same order with "Last active", "Sign up"...).
WOOCOMMERCE_CUSTOMERS = layout(
    "WooCommerce customers",
    "woocommerce/woocommerce: plugins/woocommerce/src/Admin/API/Reports/Customers/Controller.php",
    "Name,Username,Last Active,Sign Up,Email,Orders,Total Spend,AOV,Country / Region,City,Region,Postal Code,"
    "Billing Phone,Shipping Phone,Role",
    [
        {"Name": "Amaka Nwosu", "Username": "amaka", "Last Active": "2025-02-27 11:02:10",
         "Sign Up": "2024-11-03 08:40:00", "Email": "amaka@example.com", "Orders": "4", "Total Spend": "210.00",
         "AOV": "52.50", "Country / Region": "NG", "City": "Enugu", "Billing Phone": "+2348012345678",
         "Role": "customer"},
        {"Name": "Grace Lee", "Email": "grace.lee@example.org", "Orders": "1", "Total Spend": "19.99",
         "AOV": "19.99", "Country / Region": "US", "Shipping Phone": "+1 415 555 0100"},
    ],
    {"name": "Name", "email": "Email", "phone": "Billing Phone"},
)

# WordPress Users > Export, with the "Export Users Data" plugin: every header is
# quoted with a space on either side, and User ID is WordPress's own number,
# not a store user, so it must not feed `user` (the value check leaves it out).
# Source: github.com/gip-inclusion/archive-communaute-wp,
# wp-content/plugins/export-users-data-csv/export-users-data-csv.php (the line it echoes).
WORDPRESS_USERS = layout(
    "WordPress users",
    "gip-inclusion/archive-communaute-wp: wp-content/plugins/export-users-data-csv/export-users-data-csv.php",
    '" User ID "," User Name "," First Name "," Last Name "," Email ID "," Nick Name "," User Role "," Registered Date "',
    [
        {" User ID ": "17", " User Name ": "femi", " First Name ": "Femi", " Last Name ": "Adewale",
         " Email ID ": "femi@example.com", " Nick Name ": "femi", " User Role ": "Customer",
         " Registered Date ": "2024-05-14 09:12:44"},
        {" User ID ": "18", " User Name ": "joy", " First Name ": "Joy", " Last Name ": "Ibe",
         " Email ID ": "joy.ibe@example.org", " Nick Name ": "joy", " User Role ": "Subscriber",
         " Registered Date ": "2024-06-01 17:30:05"},
    ],
    {"user": " User ID ", "first_name": " First Name ", "last_name": " Last Name ", "email": " Email ID "},
)

# Mailchimp, Audience > Export audience (subscribed members file): the audience's
# fields first, then Mailchimp's own upper-case columns.
# Source: github.com/buren/honey_format, spec/honey_format/csv_spec.rb (a real export's
# header kept as a test case, "diabolical_csv").
MAILCHIMP = layout(
    "Mailchimp audience",
    "buren/honey_format: spec/honey_format/csv_spec.rb",
    '"Email Address","First Name","Last Name",MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,'
    "LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES",
    [
        {"Email Address": "ifeoma@example.com", "First Name": "Ifeoma", "Last Name": "Chukwu", "MEMBER_RATING": "2",
         "CONFIRM_TIME": "2024-04-18 13:51:14", "LAST_CHANGED": "2024-04-18 14:00:32", "LEID": "55331253",
         "EUID": "89501affba"},
        {"Email Address": "sam.green@example.org", "MEMBER_RATING": "4", "OPTIN_TIME": "2024-05-02 08:00:00",
         "CONFIRM_TIME": "2024-05-02 08:01:10", "LAST_CHANGED": "2024-05-02 08:01:10", "LEID": "55331257",
         "EUID": "c9b2705335"},
    ],
    {"email": "Email Address", "first_name": "First Name", "last_name": "Last Name"},
)

# HubSpot, Contacts > Export with the associated company: the company's columns
# follow the contact's, so "Phone Number" (and Create Date, Last Activity Date,
# Country/Region) appear twice; the second Phone Number is the company's.
# Source: github.com/Shaftdog/Salesmod, hubspot_contacts.csv.
HUBSPOT = layout(
    "HubSpot contacts",
    "Shaftdog/Salesmod: hubspot_contacts.csv",
    "Record ID - Contact,First Name,Last Name,Client Grade,Email,Phone Number,Contact owner,Last Activity Date,"
    "Create Date,Company Name,Contact type,Country/Region,Job Title,Mobile Phone Number,State/Region,Street Address,"
    "Website URL,Last Engagement Date,Postal Code,Record ID - Company,Company name,Create Date,Phone Number,"
    "Last Activity Date,City,Country/Region,Industry",
    [
        {"Record ID - Contact": "51234567801", "First Name": "Kelechi", "Last Name": "Umeh",
         "Email": "kelechi@example.com", "Phone Number": ("+2348012345678", "+2349087654321"),
         "Create Date": ("2024-01-15 10:00", "2023-06-01 09:00"), "Company Name": "Umeh Foods",
         "Mobile Phone Number": "+2348031234567", "Record ID - Company": "9001", "Company name": "Umeh Foods"},
        {"Record ID - Contact": "51234567802", "First Name": "Dana", "Last Name": "Cole", "Email": "dana@example.org",
         "Mobile Phone Number": "+1 415 555 0100", "Create Date": "2024-02-20 16:45"},
    ],
    {"first_name": "First Name", "last_name": "Last Name", "email": "Email", "phone": "Phone Number"},
)

# Google Contacts, Export > Google CSV, the layout before 2021: Name, Given Name,
# Family Name, "E-mail 1 - Type"/"E-mail 1 - Value" pairs, several values in one
# cell joined by " ::: ".
# Source: github.com/Baneeishaque/GContacts, google.csv (an account's export; its
# Phone 1 - Value cells hold up to four numbers joined by " ::: ").
GOOGLE_CONTACTS_2020 = layout(
    "Google Contacts (Google CSV, before 2021)",
    "Baneeishaque/GContacts: google.csv",
    "Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,Family Name Yomi,"
    "Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,Gender,Location,Billing Information,"
    "Directory Server,Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,Notes,Language,Photo,Group Membership,"
    "E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Type,E-mail 2 - Value,E-mail 3 - Type,E-mail 3 - Value,"
    "IM 1 - Type,IM 1 - Service,IM 1 - Value,Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,Phone 2 - Value,"
    "Phone 3 - Type,Phone 3 - Value,Phone 4 - Type,Phone 4 - Value,Phone 5 - Type,Phone 5 - Value,"
    "Phone 6 - Type,Phone 6 - Value,Address 1 - Type,Address 1 - Formatted,Address 1 - Street,Address 1 - City,"
    "Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,Address 1 - Extended Address,"
    "Organization 1 - Type,Organization 1 - Name,Organization 1 - Yomi Name,Organization 1 - Title,"
    "Organization 1 - Department,Organization 1 - Symbol,Organization 1 - Location,Organization 1 - Job Description,"
    "Organization 2 - Type,Organization 2 - Name,Organization 2 - Yomi Name,Organization 2 - Title,"
    "Organization 2 - Department,Organization 2 - Symbol,Organization 2 - Location,Organization 2 - Job Description,"
    "Website 1 - Type,Website 1 - Value",
    [
        {"Name": "Zainab Musa", "Given Name": "Zainab", "Family Name": "Musa", "Group Membership": "* myContacts",
         "E-mail 1 - Type": "* Home", "E-mail 1 - Value": "zainab@example.com ::: zainab.musa@example.org",
         "Phone 1 - Type": "Mobile", "Phone 1 - Value": "+234 801 234 5678 ::: +2348031234567"},
        {"Name": "Omar Haddad", "Given Name": "Omar", "Family Name": "Haddad", "Group Membership": "* myContacts",
         "E-mail 1 - Type": "* Work", "E-mail 1 - Value": "omar@example.org", "Phone 1 - Type": "Work",
         "Phone 2 - Type": "Mobile", "Phone 2 - Value": "+1 415 555 0100"},
    ],
    {"name": "Name", "prefix": "Name Prefix", "first_name": "Given Name", "middle_name": "Additional Name",
     "last_name": "Family Name", "suffix": "Name Suffix", "email": "E-mail 1 - Value", "phone": "Phone 1 - Value"},
)

# Google Contacts, Export > Google CSV, the layout since 2021: First/Middle/Last
# Name, "Labels", "E-mail 1 - Label"/"E-mail 1 - Value"; Google writes as many
# E-mail N and Phone N pairs as the contact with the most has.
# Source: no exported file was found. This row is the one that several unrelated
# programs compare an uploaded file's first line with (found by exact-string
# search; their repositories could not be named), so it stands until a real
# export replaces it.
GOOGLE_CONTACTS = layout(
    "Google Contacts (Google CSV)",
    "not verified against an exported file: the first line several contact importers compare with",
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,Name Prefix,"
    "Name Suffix,Nickname,File As,Organization Name,Organization Title,Organization Department,Birthday,Notes,Photo,"
    "Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,E-mail 3 - Label,E-mail 3 - Value,"
    "Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,Phone 3 - Label,Phone 3 - Value,"
    "Custom Field 1 - Label,Custom Field 1 - Value",
    [
        {"First Name": "Hauwa", "Last Name": "Bello", "Labels": "* myContacts ::: Customers",
         "E-mail 1 - Label": "* Home", "E-mail 1 - Value": "hauwa@example.com", "Phone 1 - Label": "Mobile",
         "Phone 1 - Value": "+234 801 234 5678 ::: +234 803 123 4567"},
        {"First Name": "Lena", "Middle Name": "M", "Last Name": "Fischer", "Labels": "* myContacts",
         "E-mail 1 - Label": "Work", "E-mail 1 - Value": "lena.fischer@example.org", "Phone 2 - Label": "Work",
         "Phone 2 - Value": "+1 415 555 0100"},
    ],
    {"prefix": "Name Prefix", "first_name": "First Name", "middle_name": "Middle Name", "last_name": "Last Name",
     "suffix": "Name Suffix", "email": "E-mail 1 - Value", "phone": "Phone 1 - Value"},
)

# Outlook.com (live.com), People > Manage > Export contacts.
# Source: github.com/michalbe/csv2vcard, README.md (the column list of the author's
# own OutlookContacts.csv export, numbered 0 to 55).
OUTLOOK = layout(
    "Outlook contacts",
    "michalbe/csv2vcard: README.md",
    "Title,First Name,Middle Name,Last Name,Suffix,Given Name Yomi,Family Name Yomi,Home Street,Home City,"
    "Home State,Home Postal Code,Home Country,Company,Department,Job Title,Office Location,Business Street,"
    "Business City,Business State,Business Postal Code,Business Country,Other Street,Other City,Other State,"
    "Other Postal Code,Other Country,Assistant's Phone,Business Fax,Business Phone,Business Phone 2,Callback,"
    "Car Phone,Company Main Phone,Home Fax,Home Phone,Home Phone 2,ISDN,Mobile Phone,Other Fax,Other Phone,Pager,"
    "Primary Phone,Radio Phone,TTY/TDD Phone,Telex,Anniversary,Birthday,E-mail Address,E-mail Type,"
    "E-mail 2 Address,E-mail 2 Type,E-mail 3 Address,E-mail 3 Type,Notes,Spouse,Web Page",
    [
        {"First Name": "Emeka", "Last Name": "Obi", "Company": "Obi Logistics", "Business Phone": "+234 1 234 5678",
         "Mobile Phone": "+2348012345678", "E-mail Address": "emeka@example.com", "E-mail Type": "SMTP"},
        {"First Name": "Ruth", "Last Name": "Park", "Primary Phone": "+1 415 555 0100",
         "Home Phone": "+1 415 555 0123", "E-mail Address": "ruth.park@example.org", "E-mail Type": "SMTP"},
    ],
    {"first_name": "First Name", "middle_name": "Middle Name", "last_name": "Last Name", "suffix": "Suffix",
     "email": "E-mail Address", "phone": "Primary Phone"},
)

# PayPal, Activity > Download (CSV, balance affecting): Name is the other party,
# From Email Address the payer of a payment received; Status is the payment's
# state (Completed, Pending), which the value check keeps away from `active`.
# Source: github.com/OCA/bank-statement-import,
# account_statement_import_paypal/tests/fixtures/activity_en.csv.
PAYPAL = layout(
    "PayPal activity",
    "OCA/bank-statement-import: account_statement_import_paypal/tests/fixtures/activity_en.csv",
    "Date,Time,TimeZone,Name,Type,Status,Currency,Gross,Fee,Net,From Email Address,To Email Address,"
    "Transaction ID,Address Status,Sales Tax,Reference Txn ID,Invoice Number,Receipt ID,Balance,"
    "Contact Phone Number,Subject,Note",
    [
        {"Date": "09/06/2024", "Time": "07:19:50", "TimeZone": "PDT", "Name": "Yusuf Ali", "Type": "Website Payment",
         "Status": "Completed", "Currency": "USD", "Gross": "84.00", "Fee": "-4.25", "Net": "79.75",
         "From Email Address": "yusuf@example.com", "To Email Address": "shop@example.org",
         "Transaction ID": "9AB12345CD678901E", "Address Status": "Confirmed", "Balance": "79.75",
         "Contact Phone Number": "+2348012345678"},
        {"Date": "10/06/2024", "Time": "13:30:31", "TimeZone": "PDT", "Name": "Mia Wong", "Type": "General Payment",
         "Status": "Pending", "Currency": "USD", "Gross": "20.00", "Fee": "-1.08", "Net": "18.92",
         "From Email Address": "mia.wong@example.org", "To Email Address": "shop@example.org",
         "Transaction ID": "1XY23456ZW789012F", "Address Status": "Non-Confirmed", "Balance": "98.67"},
    ],
    {"name": "Name", "email": "From Email Address", "phone": "Contact Phone Number", "active": "Status"},
)

# Stripe, Customers > Export (unified_customers.csv, default columns): Status is
# the subscription's (active, past_due, canceled), not the customer's account.
# Source: github.com/kanema20/primeorca, unified_customers.csv (another account's
# export, davidalee44/eqho-finance unified_customers.csv, has the same columns with
# the card ones reordered and metadata appended).
STRIPE = layout(
    "Stripe customers",
    "kanema20/primeorca: unified_customers.csv",
    "id,Description,Email,Name,Created (UTC),Delinquent,Card ID,Card Last4,Card Brand,Card Funding,Card Exp Month,"
    "Card Exp Year,Card Name,Card Address Line1,Card Address Line2,Card Address City,Card Address State,"
    "Card Address Country,Card Address Zip,Card Issue Country,Card Fingerprint,Card CVC Status,Card AVS Zip Status,"
    "Card AVS Line1 Status,Card Tokenization Method,Plan,Status,Cancel At Period End,Account Balance,Currency,"
    "Total Spend,Payment Count,Average Order,Refunded Volume,Dispute Losses,Business Vat ID,Tax Location Recognized",
    [
        {"id": "cus_PqR8xKpLmN3qWv", "Email": "tolu@example.com", "Name": "Tolu Bankole",
         "Created (UTC)": "2024-04-22 17:34", "Delinquent": "false", "Card Brand": "Visa", "Card Last4": "4242",
         "Plan": "price_monthly", "Status": "active", "Currency": "usd", "Total Spend": "49.95",
         "Payment Count": "3"},
        {"id": "cus_PqR8xKpLmN3qWw", "Email": "alex.kim@example.org", "Name": "Alex Kim",
         "Created (UTC)": "2024-05-01 09:12", "Delinquent": "true", "Status": "past_due", "Currency": "usd",
         "Total Spend": "0.00", "Payment Count": "0"},
    ],
    {"email": "Email", "name": "Name", "active": "Status"},
)

# Etsy, Shop Manager > Settings > Options > Download Data > Orders: Etsy gives no
# buyer email, so a file like this is refused for want of an email column;
# Buyer User ID is an Etsy username and Status the order's.
# Source: github.com/sfc38/Streamlit-App-Etsy, EtsySoldOrders2022_masked.csv (the same
# columns, tab-separated, in Epicrae/EtsyCompanion, EtsySoldOrders2023.csv).
ETSY_ORDERS = layout(
    "Etsy orders",
    "sfc38/Streamlit-App-Etsy: EtsySoldOrders2022_masked.csv",
    "Sale Date,Order ID,Buyer User ID,Full Name,First Name,Last Name,Number of Items,Payment Method,Date Shipped,"
    "Street 1,Street 2,Ship City,Ship State,Ship Zipcode,Ship Country,Currency,Order Value,Coupon Code,"
    "Coupon Details,Discount Amount,Shipping Discount,Shipping,Sales Tax,Order Total,Status,Card Processing Fees,"
    "Order Net,Adjusted Order Total,Adjusted Card Processing Fees,Adjusted Net Order Amount,Buyer,Order Type,"
    "Payment Type,InPerson Discount,InPerson Location,SKU",
    [
        {"Sale Date": "03/14/24", "Order ID": "3012345678", "Buyer User ID": "adaobi22", "Full Name": "Adaobi Nnaji",
         "First Name": "Adaobi", "Last Name": "Nnaji", "Number of Items": "1", "Ship Country": "Nigeria",
         "Currency": "USD", "Order Total": "18.00", "Status": "Completed", "Buyer": "Adaobi Nnaji",
         "Order Type": "online", "Payment Type": "online_cc"},
        {"Sale Date": "03/20/24", "Order ID": "3012345679", "Buyer User ID": "pieterv", "Full Name": "Pieter de Vries",
         "First Name": "Pieter", "Last Name": "de Vries", "Number of Items": "2", "Ship Country": "Netherlands",
         "Currency": "EUR", "Order Total": "31.50", "Buyer": "Pieter de Vries", "Order Type": "online",
         "Payment Type": "online_cc"},
    ],
    {"name": "Full Name", "first_name": "First Name", "last_name": "Last Name", "active": "Status"},
)

# Salesforce, every field of the Contact object as Data Loader exports it (API
# names); Name is the full name, Phone the main phone, AssistantPhone and Fax
# not the contact's.
# Source: github.com/SFDC-Assets/TLDR-Button, data/Contact.csv (the same columns in
# stomita/salesforce-migration-app-pack, data/Contact.csv).
SALESFORCE = layout(
    "Salesforce contacts",
    "SFDC-Assets/TLDR-Button: data/Contact.csv",
    "Id,IsDeleted,MasterRecordId,AccountId,LastName,FirstName,Salutation,Name,OtherStreet,OtherCity,OtherState,"
    "OtherPostalCode,OtherCountry,OtherLatitude,OtherLongitude,OtherGeocodeAccuracy,OtherAddress,MailingStreet,"
    "MailingCity,MailingState,MailingPostalCode,MailingCountry,MailingLatitude,MailingLongitude,"
    "MailingGeocodeAccuracy,MailingAddress,Phone,Fax,MobilePhone,HomePhone,OtherPhone,AssistantPhone,ReportsToId,"
    "Email,Title,Department,AssistantName,LeadSource,Birthdate,Description,OwnerId,CreatedDate,CreatedById,"
    "LastModifiedDate,LastModifiedById,SystemModstamp,LastActivityDate,LastCURequestDate,LastCUUpdateDate,"
    "LastViewedDate,LastReferencedDate,EmailBouncedReason,EmailBouncedDate,IsEmailBounced,PhotoUrl,Jigsaw,"
    "JigsawContactId,CleanStatus,IndividualId",
    [
        {"Id": "0035g00000AbCdEAAV", "IsDeleted": "false", "AccountId": "0015g00000XyZabAAB", "LastName": "Okon",
         "FirstName": "Idara", "Salutation": "Ms.", "Name": "Idara Okon", "MailingCity": "Uyo",
         "Phone": "+2348012345678", "MobilePhone": "+2348031234567", "Email": "idara@example.com",
         "OwnerId": "0055g00000Q1w2eAAB", "CreatedDate": "2024-01-10T08:00:00.000Z", "IsEmailBounced": "false",
         "CleanStatus": "Pending"},
        {"Id": "0035g00000AbCdFAAV", "IsDeleted": "false", "LastName": "Nguyen", "FirstName": "Bao",
         "Name": "Bao Nguyen", "MobilePhone": "+1 415 555 0100", "AssistantPhone": "+1 415 555 0199",
         "Email": "bao.nguyen@example.org", "OwnerId": "0055g00000Q1w2eAAB",
         "CreatedDate": "2024-02-11T09:30:00.000Z", "IsEmailBounced": "false", "CleanStatus": "Pending"},
    ],
    {"name": "Name", "prefix": "Salutation", "first_name": "FirstName", "last_name": "LastName", "email": "Email",
     "phone": "Phone", "inactive": "IsDeleted"},
)

# The platforms below are spelled as their documentation and import templates name
# the columns; where a file written by someone else was found it is named, otherwise
# the header stands until a real export replaces it.

# BigCommerce, Customers > Export (the same columns its customer import takes): the
# address's phone (`Address Phone - 1`) is the one a customer without a Phone has.
# Source: a Volusion-to-BigCommerce migration script that writes this header with PHPExcel
# (found by exact-string search; its repository could not be named).
BIGCOMMERCE = layout(
    "BigCommerce customers",
    "a migration script writing BigCommerce's customer columns (PHPExcel)",
    "Email Address,First Name,Last Name,Company,Phone,Notes,Store Credit,Customer Group,Address ID - 1,"
    "Address First Name - 1,Address Last Name - 1,Address Company - 1,Address Line 1 - 1,Address Line 2 - 1,"
    "Address City - 1,Address State - 1,Address Zip - 1,Address Country - 1,Address Phone - 1,"
    "Receive Review/Abandoned Cart Emails?,Tax Exempt Category,Customer ID",
    [
        {"Email Address": "raj@example.com", "First Name": "Raj", "Last Name": "Patel", "Store Credit": "0",
         "Address First Name - 1": "Raj", "Address Last Name - 1": "Patel", "Address City - 1": "Pune",
         "Address Phone - 1": "+91 98765 43210", "Customer ID": "11"},
        {"Email Address": "ann.lee@example.org", "First Name": "Ann", "Last Name": "Lee", "Phone": "+1 415 555 0100",
         "Store Credit": "0", "Customer ID": "12"},
    ],
    {"email": "Email Address", "first_name": "First Name", "last_name": "Last Name", "phone": "Phone"},
)

# Squarespace, Commerce > Customers > Export: the phone is the billing address's.
SQUARESPACE = layout(
    "Squarespace customers",
    "not verified against an exported file: Squarespace's help on customer list exports",
    "First Name,Last Name,Email,Accepts Marketing,Billing Address 1,Billing Address 2,Billing City,Billing Zip,"
    "Billing Province/State,Billing Country,Billing Phone Number,Total Spent,Total Orders,Created On",
    [
        {"First Name": "Noor", "Last Name": "Haddad", "Email": "noor@example.com", "Accepts Marketing": "yes",
         "Billing City": "Dubai", "Billing Phone Number": "+971 50 123 4567", "Total Orders": "2"},
        {"First Name": "Sam", "Last Name": "Reid", "Email": "sam.reid@example.org", "Accepts Marketing": "no",
         "Total Orders": "0"},
    ],
    {"first_name": "First Name", "last_name": "Last Name", "email": "Email", "phone": "Billing Phone Number"},
)

# Magento 2, System > Export > Customers Main File: attribute codes as headers,
# a middle name, prefix and suffix of their own. Source: Adobe Commerce's knowledge
# base (Experience League), the customer.csv of a Customers Main File import, the
# layout its export writes; the 2014 export header of Magento 1 in a public import
# script begins the same way.
MAGENTO2 = layout(
    "Magento 2 customers",
    "Adobe Commerce knowledge base: customer.csv of a Customers Main File",
    "email,_website,_store,confirmation,created_at,created_in,disable_auto_group_change,dob,firstname,gender,"
    "group_id,lastname,middlename,password_hash,prefix,rp_token,rp_token_created_at,store_id,suffix,taxvat,"
    "updated_at,website_id,password",
    [
        {"email": "carl@example.com", "_website": "base", "_store": "default", "created_in": "Default Store View",
         "firstname": "Carl", "middlename": "Gustav", "lastname": "Jung", "prefix": "Dr", "suffix": "Jr.",
         "group_id": "1", "store_id": "1", "website_id": "1"},
        {"email": "maria@example.org", "_website": "base", "_store": "default", "firstname": "Maria",
         "lastname": "Costa", "group_id": "1", "store_id": "1", "website_id": "1"},
    ],
    {"email": "email", "first_name": "firstname", "middle_name": "middlename", "last_name": "lastname",
     "prefix": "prefix", "suffix": "suffix"},
)

# Zoho CRM, Contacts > Export: a Salutation, and a Secondary Email a contact may have alone.
ZOHO_CRM = layout(
    "Zoho CRM contacts",
    "not verified against an exported file: Zoho CRM's standard Contacts fields",
    "Record Id,Contact Owner,Lead Source,First Name,Last Name,Account Name,Email,Title,Department,Phone,"
    "Home Phone,Other Phone,Fax,Mobile,Date of Birth,Assistant,Asst Phone,Email Opt Out,Created Time,"
    "Mailing Street,Mailing City,Mailing Country,Salutation,Secondary Email",
    [
        {"Record Id": "zcrm_4876", "Contact Owner": "Shop Owner", "First Name": "Ada", "Last Name": "Lovelace",
         "Secondary Email": "ada.l@example.com", "Mobile": "+44 7700 900001", "Email Opt Out": "false",
         "Salutation": "Dr."},
        {"Record Id": "zcrm_4877", "First Name": "Alan", "Last Name": "Turing", "Email": "alan@example.org",
         "Phone": "+44 20 7946 0001", "Asst Phone": "+44 20 7946 0002", "Email Opt Out": "true"},
    ],
    {"prefix": "Salutation", "first_name": "First Name", "last_name": "Last Name", "email": "Email", "phone": "Phone"},
)

# Klaviyo, Lists & segments > Export: consent columns beside the profile, `Title` a job title.
KLAVIYO = layout(
    "Klaviyo profiles",
    "not verified against an exported file: Klaviyo's profile export columns",
    "Email,Phone Number,First Name,Last Name,Organization,Title,City,Country,Klaviyo ID,Email Marketing Consent,"
    "SMS Consent,Last Open,Created",
    [
        {"Email": "mei@example.com", "Phone Number": "+1 604 555 0100", "First Name": "Mei", "Last Name": "Chen",
         "Title": "Buyer", "Klaviyo ID": "01HXYZ", "Email Marketing Consent": "SUBSCRIBED"},
        {"Email": "joe@example.org", "First Name": "Joe", "Last Name": "Park", "Klaviyo ID": "01HXZA",
         "Email Marketing Consent": "NEVER_SUBSCRIBED"},
    ],
    {"email": "Email", "phone": "Phone Number", "first_name": "First Name", "last_name": "Last Name"},
)

# Square, Customers > Export customers.
SQUARE = layout(
    "Square customers",
    "not verified against an exported file: Square's customer export columns",
    "Reference ID,First Name,Last Name,Email Address,Phone Number,Nickname,Company Name,Street Address 1,"
    "Street Address 2,City,State,Postal Code,Birthday,Memo,Square Customer ID,Creation Source,First Visit,"
    "Last Visit,Transaction Count,Total Spend,Email Subscription Status,Instant Profile",
    [
        {"First Name": "Mei", "Last Name": "Chen", "Email Address": "mei.chen@example.com",
         "Phone Number": "+1 604 555 0100", "Square Customer ID": "SQ1", "Email Subscription Status": "subscribed"},
        {"First Name": "Tom", "Last Name": "Ng", "Email Address": "tom.ng@example.org", "Square Customer ID": "SQ2",
         "Email Subscription Status": "unsubscribed"},
    ],
    {"first_name": "First Name", "last_name": "Last Name", "email": "Email Address", "phone": "Phone Number"},
)

# Wix, Contacts > Export: numbered emails, phones and addresses, as many as the contact
# with the most has. Source: the column list of a Wix site's own contacts export, in a
# field map of that site's migration (found by exact-string search; its repository could
# not be named); three other importers of Wix exports read the same `Email 1`, `Phone N`
# and `Email subscriber status`. That site's contacts had one address each, so `Email 2`
# is not in its list: it is added here as the numbering writes it (not verified).
WIX = layout(
    "Wix contacts",
    "a Wix site's contacts export column list (Email 2 added by the numbering, not verified)",
    "First Name,Last Name,Email 1,Email 2,Phone 1,Phone 2,Phone 3,Address 1 - Type,Address 1 - Street,"
    "Address 1 - Street Line 2,Address 1 - City,Address 1 - State/Region,Address 1 - Zip,Address 1 - Country,"
    "Company,Labels,Created At (UTC+0),Email subscriber status,SMS subscriber status,Last Activity,"
    "Last Activity Date (UTC+0),Source,Language",
    [
        {"First Name": "Omar", "Last Name": "Farouk", "Email 2": "omar@example.org", "Phone 2": "+20 100 123 4567",
         "Email subscriber status": "Unsubscribed"},
        {"First Name": "Lina", "Last Name": "Saad", "Email 1": "lina@example.com", "Phone 1": "+961 3 123 456",
         "Email subscriber status": "Subscribed"},
    ],
    {"first_name": "First Name", "last_name": "Last Name", "email": "Email 1", "phone": "Phone 1"},
)

# Lightspeed Retail (X-Series), Customers > Export.
LIGHTSPEED = layout(
    "Lightspeed Retail customers",
    "not verified against an exported file: Lightspeed X-Series customer import template",
    "customer_code,first_name,last_name,company_name,email,phone,mobile,fax,date_of_birth,sex,physical_address1,"
    "physical_city,physical_country_id,note,enable_loyalty,customer_group_name",
    [
        {"customer_code": "LS-1", "first_name": "Nina", "last_name": "Holm", "email": "nina@example.com",
         "mobile": "+46 70 123 45 67", "enable_loyalty": "1"},
        {"customer_code": "LS-2", "first_name": "Per", "last_name": "Berg", "email": "per@example.org",
         "phone": "+46 8 123 456", "enable_loyalty": "0"},
    ],
    {"first_name": "first_name", "last_name": "last_name", "email": "email", "phone": "phone"},
)

# Shopify POS, Customers > Export (the admin's customer export, taken at the till).
SHOPIFY_POS = layout(
    "Shopify POS customers",
    "not verified against an exported file: Shopify's customer CSV columns as POS stores export them",
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,"
    "Default Address City,Default Address Country Code,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,"
    "Total Orders,Note,Tax Exempt,Tags",
    [
        {"Customer ID": "'7210448301200", "First Name": "Kofi", "Last Name": "Mensah", "Email": "kofi@example.com",
         "Accepts Email Marketing": "no", "Phone": "'+233201234567", "Accepts SMS Marketing": "no", "Tags": "pos"},
        {"Customer ID": "'7210448301201", "First Name": "Efe", "Last Name": "Ojo", "Email": "efe@example.org",
         "Accepts Email Marketing": "yes", "Default Address Phone": "'+2348012345678", "Accepts SMS Marketing": "no"},
    ],
    {"first_name": "First Name", "last_name": "Last Name", "email": "Email", "phone": "Phone"},
)

# PrestaShop, Customers > Export: semicolons, a social title, Enabled the account's flag.
PRESTASHOP = layout(
    "PrestaShop customers",
    "not verified against an exported file: PrestaShop 1.7's customer list columns",
    "ID,Social title,First name,Last name,Email,Sales,Enabled,Newsletter,Partner offers,Registration,Last visit",
    [
        {"ID": "1", "Social title": "Mr.", "First name": "John", "Last name": "Doe", "Email": "john@example.com",
         "Enabled": "1", "Newsletter": "1", "Partner offers": "0"},
        {"ID": "2", "Social title": "Mrs.", "First name": "Jane", "Last name": "Roe", "Email": "jane@example.org",
         "Enabled": "0", "Newsletter": "0", "Partner offers": "0"},
    ],
    {"first_name": "First name", "last_name": "Last name", "email": "Email", "active": "Enabled"},
)

# OpenCart, the customer table as admin exports write it: `status` 1/0 is the account's.
OPENCART = layout(
    "OpenCart customers",
    "not verified against an exported file: OpenCart's oc_customer columns",
    "customer_id,customer_group_id,firstname,lastname,email,telephone,fax,newsletter,status,date_added",
    [
        {"customer_id": "7", "customer_group_id": "1", "firstname": "Ngozi", "lastname": "Eze", "email": "ngozi@example.com",
         "telephone": "+234 803 123 4567", "newsletter": "1", "status": "1"},
        {"customer_id": "8", "customer_group_id": "1", "firstname": "Tom", "lastname": "Ash", "email": "tom@example.org",
         "fax": "+44 20 7946 0000", "newsletter": "0", "status": "0"},
    ],
    {"first_name": "firstname", "last_name": "lastname", "email": "email", "phone": "telephone", "active": "status"},
)

# Ecwid, Customers > Export.
ECWID = layout(
    "Ecwid customers",
    "not verified against an exported file: Ecwid's customer export columns",
    "Email,Name,Phone,Billing Name,Billing Phone,Billing City,Billing Country,Total Orders,Accepts Marketing",
    [
        {"Email": "li@example.com", "Name": "Li Wei", "Billing Name": "Li Wei", "Billing Phone": "+86 138 0013 8000", "Total Orders": "2",
         "Accepts Marketing": "true"},
        {"Email": "kai@example.org", "Name": "Kai Lund", "Billing Name": "Kai Lund", "Phone": "+45 20 12 34 56",
         "Total Orders": "1", "Accepts Marketing": "false"},
    ],
    {"email": "Email", "name": "Billing Name", "phone": "Phone"},
)

# ActiveCampaign, Contacts > Export.
ACTIVECAMPAIGN = layout(
    "ActiveCampaign contacts",
    "not verified against an exported file: ActiveCampaign's contact export columns",
    "Email,First Name,Last Name,Phone,Organization,Tags,Date Created,IP Address",
    [
        {"Email": "rosa@example.com", "First Name": "Rosa", "Last Name": "Diaz", "Phone": "+1 212 555 0182",
         "Organization": "Diaz & Co", "Tags": "vip"},
        {"Email": "ben@example.org", "First Name": "Ben", "Last Name": "Ode", "Tags": "newsletter"},
    ],
    {"email": "Email", "first_name": "First Name", "last_name": "Last Name", "phone": "Phone"},
)

# Constant Contact, Contacts > Export: "Email status" is the address's deliverability, not the account's.
CONSTANT_CONTACT = layout(
    "Constant Contact contacts",
    "not verified against an exported file: Constant Contact's contact export columns",
    "Email address,First name,Last name,Email status,Email permission status,Phone - mobile,Phone - home,"
    "Phone - work,Company,Job title,Created At",
    [
        {"Email address": "pat@example.com", "First name": "Pat", "Last name": "Kim", "Email status": "Active",
         "Email permission status": "Unsubscribed", "Phone - home": "+1 415 555 0111"},
        {"Email address": "lee@example.org", "First name": "Lee", "Last name": "Cho", "Email status": "Bounced",
         "Email permission status": "Implicit", "Phone - mobile": "+1 415 555 0112"},
    ],
    {"email": "Email address", "first_name": "First name", "last_name": "Last name", "phone": "Phone - mobile"},
)


LAYOUTS: tuple[Layout, ...] = (
    SHOPIFY_CUSTOMERS, SHOPIFY_CUSTOMERS_2022, SHOPIFY_ORDERS, WOOCOMMERCE_CUSTOMERS, WORDPRESS_USERS, MAILCHIMP,
    HUBSPOT, GOOGLE_CONTACTS_2020, GOOGLE_CONTACTS, OUTLOOK, PAYPAL, STRIPE, ETSY_ORDERS, SALESFORCE,
    BIGCOMMERCE, SQUARESPACE, MAGENTO2, ZOHO_CRM, KLAVIYO, SQUARE, WIX, LIGHTSPEED, SHOPIFY_POS, PRESTASHOP, OPENCART,
    ECWID, ACTIVECAMPAIGN, CONSTANT_CONTACT,
)
