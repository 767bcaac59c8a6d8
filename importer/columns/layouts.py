"""The header spellings and words of real customer and contact exports, and what each may feed.

Data, and `_cased`, the forms of the active flag's words. The mapping stage compares a file's headers, after `fold()` (case, accents, spaces
and punctuation removed), with the spellings below; a header not among them is read by its words (`WORDS`, in the languages Excel ships in).
The spellings come from the exports merchants leave behind: Shopify (customers, orders and POS), WooCommerce and WordPress, Mailchimp,
HubSpot, Google Contacts (both CSV layouts), Outlook, PayPal, Stripe, Etsy, Salesforce, BigCommerce, Squarespace, Magento 2, Zoho CRM,
Klaviyo, Square, Wix, Lightspeed, PrestaShop, OpenCart, Ecwid, ActiveCampaign and Constant Contact; `tests/layouts.py` keeps each export's
header row and names where it was taken from.

Within a field the spellings are in order of preference: the first one present in a file wins, so a customer's name is taken from `Billing
Name` before a bare `Name` (an order number such as `#1001` in a Shopify orders export), and a main phone before a mobile, a mobile before a
home or work phone, and those before the phone of an address. For `phone` and `email` the whole order matters, not only its head: each row
takes the first non-blank of all the columns a file has, in this order, so a contact whose main phone or address is blank keeps their mobile
or secondary address. Headers read by their words rank after every spelling.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Preferred spelling first within each field. Every spelling is already folded and belongs to one field only
# (tests/unit/columns/test_layouts.py checks both).
OBJECT_ID = re.compile(r"[0-9a-fA-F]{24}")  # how a store writes the id of a user (the `user` field)

ALIASES: dict[str, tuple[str, ...]] = {
    "email": (
        "email", "emailaddress", "email1", "email1value", "mail", "emailid", "useremail",
        "customeremail", "contactemail", "primaryemail", "billingemail", "fromemailaddress",
        "courriel", "correo", "correoelectronico",
    ),
    # A column that names the customer ranks above a bare "Name", which in an orders export is the order number; billing before shipping,
    # because the shipping name may be a gift's recipient.
    "name": (
        "fullname", "customername", "contactname", "clientname", "billingname", "shippingname",
        "displayname", "name", "customer", "nombre", "nomcomplet",
    ),
    "prefix": ("nameprefix", "prefix", "salutation"),
    "first_name": ("firstname", "givenname", "first", "forename", "billingfirstname", "prenom", "vorname"),
    "middle_name": ("middlename", "additionalname", "middleinitial"),
    "last_name": ("lastname", "familyname", "surname", "last", "billinglastname", "nachname", "apellido"),
    "suffix": ("namesuffix", "suffix"),
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
    "inactive": (
        "blocked", "isblocked", "accountblocked", "isdisabled", "accountdisabled", "userdisabled", "customerdisabled",
        "isdeleted", "deleted", "archived", "isarchived", "inactive", "isinactive", "suspended", "accountsuspended",
    ),
    "user": ("user", "userid", "linkeduser", "platformuserid"),
}

# What a header means when it is not one of the spellings above: the words it is made of, in the languages Excel ships in. `columns.words`
# reads a header as words (accents, case, punctuation, camelCase, `No.`/`#`/`Nr`, merge tags such as *|FNAME|* and compounds such as
# "Handynummer" = handy + nummer), then each word is looked up here. A header whose words are all known says what it means; one with a word
# not here (or an OTHER word) is silent, and its values decide.
WORDS: dict[str, frozenset[str]] = {
    "email": frozenset(
        "email emails mail courriel mel correo correoelectronico epost eposta epostadress sahkoposti почта "
        "емейл имейл емайл メール メールアドレス 邮箱 电子邮件 이메일 emailadresa surel emel epasts епошта імейл ایمیل ईमेल 이메일주소 อีเมล אימייל דואל".split()
    ),
    "phone": frozenset(
        "phone phones telephone tel tele telefon telefono telefone telefoon telefonu telephon puhelin rufnummer "
        "телефон телефона тел tlf tfn fon 電話 電話番号 电话 电话号码 전화 전화번호 telefonas talrunis telepon telefonszam τηλεφωνο τηλ телефону هاتف الهاتف تلفن फोन โทรศัพท์ โทร טלפון dienthoai "
        # Abbreviations, written with or without a full stop ("Tel.", "Telp.", "Tfno.", "Puh.", "ĐT", "SĐT", "טל'"), and landlines.
        "telefonní telefónne telp tlp telpon tfno telef puh đt sđt sdt simu foonu festnetz teléfon تليفون टेलीफोन दूरभाष טל 電話機 座机 固话".split()
    ),
    "mobile": frozenset(
        "mobile mobil mob cell cellphone cellular celular cellulare cel gsm handy portable movil movel telemovel "
        "mobiel matkapuhelin kannykka мобильный мобильного сотовый cep komorka komorkowy komorki mobilni sms "
        "whatsapp hp 携帯 携帯電話 手机 手机号 手机号码 휴대폰 휴대전화 mobilusis mobitel κινητο мобільний جوال الجوال موبايل محمول همراه मोबाइल มือถือ נייד didong "
        # Abbreviations and the words of other places: "Моб.", "Сот.", "Tel. kom.", "Tlm.", Indonesian "HP" and "Ponsel", "No. WA".
        "моб мобил сот сотовый мобилен kom tlm mobiele natel ponsel handphone bimbit mkononi đtdđ 手機 行動 移动 手提 핸드폰 휴대 פלאפון".split()
    ),
    "given": frozenset(
        "first given forename forenames fname vorname vornamen vor prenom prenoms imie имя jmeno fornavn fornamn "
        "etunimi voornaam voornamen keresztnev ad adi christian 名 名字 prenume vardas eesnimi depan імя імʼя פרטי الاول".split()
    ),
    "family": frozenset(
        "last family surname surnames lname nachname familienname zuname famille apellido apellidos cognome "
        "sobrenome apelido apelidos achternaam nazwisko фамилия soyad soyadi prijmeni efternamn etternavn "
        "efternavn sukunimi vezeteknev csaladnev achter paterno 姓 姓氏 苗字 성 pavarde uzvards perekonnanimi prezime priimek priezvisko cognoms επωνυμο прізвище العائلة خانوادگی นามสกุล משפחה ho belakang".split()
    ),
    # A middle name, and the particle written between the given and the family name (Dutch tussenvoegsel, German Namenszusatz or
    # Vorsatzwort: "van der", "von"), which a name in parts sends in that place.
    "middle": frozenset("middle mname additional tussenvoegsel tussenvoegsels voorvoegsel namenszusatz vorsatzwort namensvorsatz отчество patronymic patronym".split()),
    "prefix": frozenset("prefix salutation honorific anrede civilite tratamiento aanhef title titel titre titulo".split()),
    "suffix": frozenset("suffix sufijo suffixe".split()),
    "full": frozenset("full complete completo completa complet vollstandiger volledige lengkap фио 氏名 姓名 성명 ονοματεπωνυμο hoten".split()),
    "name": frozenset("name names nombre nombres nome nomi nom naam navn namn nimi nev nama 名前 이름 ονομα vards nimi ime meno име nume ten الاسم اسم نام नाम ชื่อ שם".split()),
    # An account switched on: active, enabled or activated, and the Chinese, Japanese and Korean "valid" (有効, 有效).
    "active": frozenset(
        "active aktiv actif activo activa attivo ativo actief aktywny aktivni aktif активный aktiivinen enabled activ aktyvus aktivs ενεργος "
        "активен активний hoatdong نشط فعال aktiviert habilitado habilitada abilitato attivato ativado activado ingeschakeld geactiveerd włączony "
        "aktywowany включен включён активирован увімкнено etkin kichhoat מופעל פעיל सक्रिय مفعل 有効 有效 启用 啟用 已启用 激活 활성 활성화 사용".split()
    ),
    # A state: the account's, or an order's or a subscription's, which the column's values tell apart.
    "status": frozenset(
        "status estado statut stato stav durum durumu статус tila situacao estatus situacion situazione состояние стан trangthai keadaan hali "
        "状态 狀態 状態 ステータス 상태 สถานะ حالة الحالة סטטוס מצב स्थिति".split()
    ),
    # An account switched off: blocked, deactivated, inactive, archived or deleted ("Blocked", "IsDeleted", "Gesperrt"). Not a bare
    # "Disabled" nor Turkish "Engelli": in a list of people they say a person has a disability.
    "inactive": frozenset(
        "inactive blocked banned suspended deactivated archived deleted inaktiv gesperrt blockiert deaktiviert archiviert geloscht inactif bloque desactive supprime inactivo "
        "bloqueado desactivado archivado eliminado borrado inattivo bloccato disattivato archiviato eliminato inativo desativado arquivado excluido inactief geblokkeerd "
        "gedeactiveerd gearchiveerd verwijderd nieaktywny zablokowany zarchiwizowany usuniety sparrad blockerad arkiverad raderad spærret blokeret arkiveret slettet sperret "
        "blokkert arkivert passiivinen estetty arkistoitu poistettu pasif engellendi arsivlendi silindi неактивный заблокирован архивирован удален neaktivni zablokovan "
        "archivovan smazan 無効 削除済み 禁用 停用 已删除 冻结 차단 비활성 deshabilitado deshabilitada desabilitado disabilitato uitgeschakeld wyłączony отключен отключён выключен заблокований "
        "заблоковано вимкнено неактивний nonaktif dinonaktifkan diblokir disekat devredisi vohieu 削除 無効化 已禁用 已停用 凍結 비활성화 معطل محظور מושבת חסום निष्क्रिय".split()
    ),
    "account": frozenset("account konto compte cuenta conto akun akaun hesap аккаунт акаунт 账户 帐户 账号 帳號 アカウント 계정 حساب חשבון".split()),
    # Qualifiers: which of several columns of a field this one is.
    "secondary": frozenset(
        "secondary second other others alternate alternative alt additional zweiter zweite weitere segundo segunda "
        "deuxieme autre secondo seconda altro tweede drugi drugie andra anden andre toinen ikinci druhe второе "
        "другой materno 2 3 4 5 6 7 8 9".split()
    ),
    "home": frozenset("home private privat prive domicile casa hogar thuis dom домашний koti ev".split()),
    "work": frozenset(
        "work business office arbeit geschaftlich dienstlich travail bureau trabajo lavoro ufficio werk kantoor "
        "praca рабочий tyo".split()
    ),
    "address": frozenset(
        "address adresse adres adresa direccion indirizzo endereco osoite adress адрес".split()
    ),
    "billing": frozenset(
        "billing shipping delivery invoice rechnung lieferung liefer facturation livraison envio facturacion".split()
    ),
    # Words that add nothing to a header's meaning.
    "neutral": frozenset(
        "number nummer nr no n numero num numer szam số رقم เบอร์ cim value s of the de du des di da do la le el i e y et und and is "
        "og och en ja ve a эл 1 primary main default principal principale haupt preferred personal persoenlich "
        "primer primero primera primeiro premier primo erster "
        "番号 号码 번호 del der dos das della dei ya "
        # "Number" in more languages ("Nomor HP", "Номер телефона", "Nro.", "מס'"), and "contact", "whether", "flag".
        "nomor nombor nomer номер nro cislo numara numarasi namba nambari nomba नंबर מס מספר หมายเลข 號碼 "
        "контактный контактний 联系 聯絡 联络 是否 여부 フラグ".split()
    ),
    # The customer: alone ("Kunde", "Cliente"), a column of their names; beside other words, nothing more.
    "person": frozenset(
        "customer customers client clients contact buyer member person kunde kunden kund cliente klant klient "
        "klienta asiakas musteri клиент kontakt contacto contatto pelanggan khachhang mteja 客户 客戶 顧客 고객 عميل לקוח ग्राहक".split()
    ),
}

# Words for "number" ("Nr", "No.", "Nº", "#"): read as `number`.
NUMBER_WORDS: frozenset[str] = frozenset(
    "number nummer nr no n numero num numer szam số رقم เบอร์ 番号 号码 번호 nomor nombor nomer номер nro cislo numara numarasi namba nambari nomba "
    "नंबर מס מספר หมายเลข 號碼".split()
)

# Two words that together mean one ("Correo electrónico", "Contact No."): read as the one, written as `fold` leaves it.
PHRASES: dict[tuple[str, str], str] = {
    ("correo", "electronico"): "email", ("posta", "elettronica"): "email", ("adresse", "electronique"): "email",
    ("correio", "eletronico"): "email", ("correio", "electronico"): "email", ("электронная", "почта"): "email",
    ("elektronicka", "posta"): "email", ("poczta", "elektroniczna"): "email", ("contact", "number"): "phone",
    ("tel", "number"): "phone", ("ηλεκτρονικό", "ταχυδρομείο"): "email", ("el", "paštas"): "email",
    ("електронна", "пошта"): "email", ("ел", "пошта"): "email", ("correu", "electrònic"): "email",
    ("דואר", "אלקטרוני"): "email", ("דוא", "ל"): "email", ("البريد", "الإلكتروني"): "email",
    ("ім", "я"): "імя", ("ชื่อ", "นามสกุล"): "hoten",
    # Vietnamese writes a word a syllable: "Họ và tên" (full name), "Điện thoại" (phone), "Thư điện tử" (email).
    ("họ", "và"): "ho", ("họ", "tên"): "hoten", ("điện", "thoại"): "dienthoai", ("di", "động"): "didong",
    ("thư", "điện"): "thudien", ("thudien", "tử"): "email", ("hoạt", "động"): "hoatdong",
    # The same written without the marks ("So dien thoai", "SDT"), as keyboards without Vietnamese input do.
    ("dien", "thoai"): "dienthoai", ("di", "dong"): "didong", ("hoat", "dong"): "hoatdong", ("trạng", "thái"): "trangthai",
    ("kích", "hoạt"): "kichhoat", ("khách", "hàng"): "khachhang", ("vô", "hiệu"): "vohieu", ("vohieu", "hóa"): "vohieu",
    # "Ph. No.", "WhatsApp" as camelCase splits it, Indonesian "No. WA", Malaysian "H/P" (handphone), Turkish "devre dışı" (disabled), "Non-aktif".
    ("ph", "number"): "phone", ("whats", "app"): "whatsapp", ("number", "wa"): "whatsapp", ("wa", "number"): "whatsapp", ("h", "p"): "hp",
    ("devre", "dışı"): "devredisi", ("non", "aktif"): "nonaktif",
}

# Words that name another person than the customer, or a company (`Account Manager`, `Company Phone`): part of OTHER_WORDS, and
# (with the roles of words.OTHER_PEOPLE) what keeps an address under such a header from being taken as the customer's.
OTHERS = (
    "company firma organization organisation org entreprise societe empresa azienda bedrijf assistant assistants assistent "
    "emergency spouse partner manager owner agent referrer referral"
)
# Words that say a column belongs to someone or something else than the customer's name, address or phone (a company's phone, a card's name,
# an email's type): such a header feeds nothing by its words, whatever else it says.
OTHER_WORDS: frozenset[str] = frozenset(
    "yomi phonetic フリガナ ふりがな カナ よみ fax telefax pager telex isdn type label kind typ date datum fecha time created "
    "updated modified verified opt consent marketing newsletter subscription subscribed subscriber username login "
    "nick nickname file product item lineitem card tax province state city country street zip postal order payment "
    f"note notes tag tags id user bounced reason {OTHERS}".split()
)

# Family-name words of the languages that write the family name first (Japanese, Chinese, Korean, Hungarian, Vietnamese): a name whose
# family column is headed so is sent family name first, as are names in Han, kana or Hangul script.
FAMILY_FIRST: frozenset[str] = frozenset("姓 姓氏 苗字 성 vezeteknev csaladnev họ".split())

# A bare name word: the whole name, unless the file has a given-name column and no family one (German "Name, Vorname": the family name) or
# the reverse (Spanish "Nombre, Apellidos", Italian "Nome, Cognome": the given name).
BARE_NAMES: frozenset[str] = frozenset(WORDS["name"])

# A column of the phones' country codes, beside a phone column written without them (hand-kept lists, form exports): each phone is sent
# after its row's code.
PHONE_COUNTRY_HEADERS: frozenset[str] = frozenset({
    "countrycode", "phonecountrycode", "mobilecountrycode", "callingcode", "countrycallingcode", "dialcode",
    "dialingcode", "isdcode", "phonecode", "landervorwahl", "landesvorwahl", "internationalevorwahl", "indicatif",
    "indicatifpays", "indicatiftelephonique", "codigodepais", "codigodelpais", "codigopais", "prefijointernacional",
    "prefissointernazionale", "prefissopaese", "landcode", "landennummer", "numerkierunkowykraju", "kodkraju",
    "ulkekodu", "landskod", "landekode", "maavalinta", "kodzeme", "телефонныйкодстраны", "кодстраны",
})

# A column of the phones' area codes, beside a phone column written without them.
PHONE_AREA_HEADERS: frozenset[str] = frozenset({
    "areacode", "phoneareacode", "vorwahl", "ortsvorwahl", "netzvorwahl", "codigodearea", "codigoarea", "ddd",
    "indicatifregional", "numerkierunkowy", "kierunkowy", "riktnummer", "netnummer", "suuntanumero", "korzetszam",
    "prefisso", "prefissotelefonico", "prefissolocale", "codicearea",
})

# A bare "Title" may be a job title: it is a name prefix only when its values are these.
TITLE_HEADERS: frozenset[str] = frozenset({"title", "titel", "titre", "titulo", "titolo"})
HONORIFICS: frozenset[str] = frozenset(
    "mr mrs ms miss mx dr prof sir dame lord lady rev fr herr frau fraulein m mme mlle monsieur madame sr sra srta "
    "don dona sig signor signora sig.ra dhr mevr pan pani hr fru г г-н г-жа sayin bay bayan ing mag dipl".split()
)

# Newsletter and consent states (Mailchimp, Klaviyo, Square, Wix, hand-kept lists): a column holding any of these is a subscription state,
# never the active flag.
NEWSLETTER_STATES: frozenset[str] = frozenset(
    "subscribed unsubscribed nonsubscribed pending cleaned optedin optedout optin optout neversubscribed "
    "transactional bounced doubleoptin singleoptin suppressed".split()
)

# Marketing-consent, subscription and opt-in columns: whether someone agreed to receive newsletters says nothing about whether their account
# is active, so none of these ever feeds `active` (none is an alias of any field).
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

# Platform record ids, such as WordPress's and WooCommerce's `User ID` (17, 18, ...). They feed `user` only when their values look like
# 24-hex ObjectIds, the store's user ids; otherwise the column is left out, with a note.
USER_ID_HEADERS: frozenset[str] = frozenset({"user", "userid"})

# A bare Status feeds `active` only when its values read as active/inactive words: in PayPal, Stripe and Etsy exports it holds a
# transaction's or a subscription's state (Completed, Pending, past_due, canceled).
STATUS_HEADERS: frozenset[str] = frozenset({"status"})

# How programs write a missing value: R's NA, pandas' nan and <NA>, SQL's NULL, JavaScript's null and undefined, Python's None, Excel's
# #N/A, and a hand-kept list's dash. In a name or the active flag such a cell holds no value (a phone has its own rule: no digit, no
# number). Compared as written, so the surname Na stays a name.
MISSING_VALUES: frozenset[str] = frozenset(
    "NA N/A n/a #N/A NULL null Null None none nan NaN <NA> NaT undefined (null) - – — ?".split()
)

# Google Contacts writes several values of one field into one cell, joined by this; the first value is the one to take.
MULTI_VALUE_SEPARATOR = " ::: "

# The words exports and hand-kept sheets use for an active (or inactive) customer: English, the TRUE and FALSE that Excel writes in each
# language it ships in (a CSV saved by Swedish Excel says SANT and FALSKT), and the yes and no of the languages merchants write in. Written
# as people write them; compared after casefold(), in every form `_cased` gives. `1.0` and `0.0`: pandas' float column of 1 and 0.
_TRUE = (
    "true t yes y 1 1.0 subscribed on x wahr ja vrai oui verdadero sí si vero sì verdadeiro sim waar sant sand sann tosi kyllä prawda tak pravda ano áno igaz igen doğru"
    " dogru evet истина да так істина cert jah tõene ναι αληθές αληθεσ adevărat adevarat točno tocno benar ya iya taip jā oo có ใช่ हाँ हां haan نعم כן はい 是 예 네 ndiyo"
    " ndio bẹ́ẹ̀ni ein aan açık"
)
# An account's state, in those languages: active, and enabled or activated (启用, 有効, "Alta" in Spanish registers).
_TRUE_STATES = (
    "active enabled enable aktiv aktiviert actif activé activée activo activa habilitado habilitada attivo attiva abilitato ativo ativa ativado actief ingeschakeld"
    " aktywny aktywna aktywne włączony aktivní aktivni aktívny aktív aktiivinen aktif etkin activ alta активный активна активен активно включен включён активний"
    " активна увімкнено ενεργός ενεργοσ ενεργό aktiivne aktīvs aktyvus aktivan نشط مفعل فعال פעיל सक्रिय ใช้งาน เปิดใช้งาน 有効 有效 启用 已启用 啟用 已啟用 激活 已激活 正常 利用中 활성 활성화 사용"
    " 정상 activado activada aktywowany aktywowana attivato attivata geactiveerd активирован активирована מופעל"
)
_FALSE = (
    "false f no n 0 0.0 unsubscribed off falsch nein faux non falso não nao onwaar nee falskt nej falsk usann nei epätosi ei fałsz falsz nie nepravda ne hamis nem yanlış"
    " yanliş yanlis hayır hayir ложь нет хибність ні fals väär όχι οχι ψευδές ψευδεσ netočno netocno nu salah tidak nē hindi không не नहीं nahi nahin لا לא ไม่ ไม่ใช่"
    " いいえ 否 아니요 아니오 hapana rárá aus uit kapalı"
)
# An account's state, in those languages: inactive, and disabled, deactivated, blocked or suspended.
_FALSE_STATES = (
    "inactive disabled disable blocked suspended inaktiv deaktiviert gesperrt inactif désactivé désactivée desactive bloqué inactivo inactiva deshabilitado"
    " deshabilitada bloqueado baja inattivo inattiva disabilitato bloccato sospeso inativo inativa desativado desabilitado inactief uitgeschakeld geblokkeerd"
    " nieaktywny nieaktywna nieaktywne wyłączony zablokowany neaktivní neaktivni neaktívny inaktív passiivinen pasif engelli inactiv неактивный неактивна неактивен"
    " заблокирован заблокирована отключен отключён выключен неактивний вимкнено заблоковано заблокований ανενεργός ανενεργοσ ανενεργό mitteaktiivne neaktīvs neaktyvus"
    " neaktivan nonaktif non-aktif deactivated desactivado desactivada disattivato disattivata gedeactiveerd banned blockiert blockerad spärrad blokeret blokkert"
    " sperret spærret estetty zablokovaný engellendi dinonaktifkan diblokir disekat معطل محظور موقوف חסום מושבת निष्क्रिय ไม่ใช้งาน ปิดใช้งาน ระงับ 無効 無効化 停止 停止中 退会"
    " 禁用 已禁用 停用 已停用 无效 無效 冻结 已冻结 凍結 注销 已注销 비활성 비활성화 미사용 정지 차단 탈퇴 휴면"
)

# Check marks: what a column of ticks holds for yes (☐, an empty box, is a no). A crossed mark (✗, ☒) is left unread: some lists tick with
# it, others cross out with it.
TICK_MARKS = frozenset("✓✔☑✅")
# An account's state in words of more than one: "not active" and its like, where a language says it so.
_TRUE_PHRASES = ("hoạt động", "đang hoạt động", "kích hoạt", "đã kích hoạt", "de alta", "dado de alta")
_FALSE_PHRASES = (
    "not active", "nicht aktiv", "no activo", "no activa", "non attivo", "non attiva", "não ativo", "não ativa", "niet actief",
    "nie aktywny", "nie aktywna", "ei aktiivinen", "tidak aktif", "tak aktif", "non aktif", "không hoạt động", "ngừng hoạt động",
    "chưa kích hoạt", "vô hiệu hóa", "đã khóa", "bị khóa", "не активен", "не активный", "devre dışı", "de baja", "dado de baja",
    "غير نشط", "غير مفعل", "غير فعال", "לא פעיל",
)


_BASE_LETTERS = str.maketrans("ıđł", "idl")  # letters that carry their mark in themselves (Turkish ı, Vietnamese đ, Polish ł)


def _cased(words: Iterable[str]) -> frozenset[str]:
    """Every form casefold() leaves a word in, however it was capitalised and composed: Turkish capitals too
    ("AKTİF" folds to "akti̇f", "HAYIR" to "hayir"), decomposed accents (as macOS writes them), and, in the scripts
    with capitals, the word typed without its accents ("Desactive", "khong"). Every reader of an active cell
    compares `cell.strip().casefold()` with these sets, so all of them read a cell alike."""
    forms: set[str] = set()
    for word in words:
        turkish = word.replace("i", "İ").replace("ı", "I")
        for written in (word, turkish.upper(), turkish[:1].upper() + word[1:]):
            folded = written.casefold()
            bare = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c)).translate(_BASE_LETTERS)
            forms.update({folded, unicodedata.normalize("NFC", folded), unicodedata.normalize("NFD", folded)})
            if bare.upper() != bare.lower():  # in Thai, Hindi and Arabic a mark is part of the word
                forms.update({bare, unicodedata.normalize("NFC", bare)})
    return frozenset(forms)


TRUE_WORDS = _cased((*_TRUE.split(), *_TRUE_STATES.split(), *_TRUE_PHRASES)) | TICK_MARKS
FALSE_WORDS = _cased((*_FALSE.split(), *_FALSE_STATES.split(), *_FALSE_PHRASES)) | {"☐"}
# The words that name an account's state rather than answer yes or no: in a column of switched-off accounts ("Blocked") they say the state
# itself, where a yes or no answers the header's question.
ON_STATES = _cased((*_TRUE_STATES.split(), *_TRUE_PHRASES))
OFF_STATES = _cased((*_FALSE_STATES.split(), *_FALSE_PHRASES))
# What a merchant is told a cell of the active column may hold.
ACTIVE_SPELLINGS = "yes/no, true/false, active/inactive, 1/0, x or ✓ for yes, and Excel's TRUE/FALSE and yes/no in its languages (WAHR/FALSCH, VRAI/FAUX, SANT/FALSKT, ja/nein, oui/non ...)"
