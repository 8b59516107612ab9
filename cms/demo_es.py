"""Spanish text for the demo city's pages and snippets (used by :mod:`cms.demo`).

Keys are the English demo text; anything missing stays in English, which is also what a
visitor sees for a page nobody has translated yet.
"""

from __future__ import annotations

ES: dict[str, str] = {
    # -- indexes -------------------------------------------------------------------------
    "Services": "Servicios",
    "<p>Every service the city offers, whichever agency runs it. Search, or browse by what "
    "is happening in your life.</p>": "<p>Todos los servicios de la ciudad, sea cual sea el "
    "organismo que los gestione. Busca o explora según lo que está pasando en tu vida.</p>",
    "You said, we did": "Nos dijiste, hicimos",
    "<p>What changed in Northvale's services because people took part.</p>": "<p>Qué cambió "
    "en los servicios de Northvale gracias a la participación de la gente.</p>",
    "About Northvale Commons": "Sobre Northvale Commons",
    "How the city designs services with the people who use them.": "Cómo la ciudad diseña "
    "los servicios con las personas que los usan.",
    "<p>Northvale Commons is where residents, community groups and the city's agencies "
    "improve public services together.</p>": "<p>Northvale Commons es donde los vecinos, los "
    "grupos comunitarios y los organismos de la ciudad mejoran juntos los servicios "
    "públicos.</p>",
    # -- shared channel text -----------------------------------------------------------------
    "Any time": "A cualquier hora",
    "Monday to Friday, 9am to 5pm": "De lunes a viernes, de 9 a 17 h",
    "Monday to Friday, 9am to 12pm": "De lunes a viernes, de 9 a 12 h",
    "Wednesdays, 1pm to 4pm": "Los miércoles, de 13 a 16 h",
    "Drop in on Tuesdays, 10am to 1pm": "Pasa los martes, de 10 a 13 h",
    "24 hours": "24 horas",
    "Step-free entrance, hearing loop at every desk.": "Entrada sin escalones y bucle "
    "magnético en todos los mostradores.",
    "Apply online": "Solicitar en línea",
    "Apply": "Solicitar",
    "Register": "Registrarse",
    "Apply and pay": "Solicitar y pagar",
    "Book an appointment": "Pedir cita",
    "City Hall, travel desk": "Ayuntamiento, mostrador de transporte",
    "City Hall, customer service centre": "Ayuntamiento, centro de atención a la ciudadanía",
    "City Hall, housing options": "Ayuntamiento, opciones de vivienda",
    "Business Hub, City Hall": "Centro de Empresas, Ayuntamiento",
    "Riverside Community Hub": "Centro Comunitario de Riverside",
    "Riverside baby clinic": "Consulta de bebés de Riverside",
    "Northvale General Hospital, maternity ward": "Hospital General de Northvale, maternidad",
    # -- bus pass ------------------------------------------------------------------------------
    "Get a free bus pass if you are 66 or over": "Consigue un pase de autobús gratis si "
    "tienes 66 años o más",
    "Free off-peak travel on every bus and tram in Northvale once you reach state pension "
    "age.": "Viaja gratis fuera de la hora punta en todos los autobuses y tranvías de "
    "Northvale cuando llegas a la edad de jubilación.",
    "<p>The pass lets you travel free after 9:30am on weekdays and all day at weekends. It "
    "also works on trams and the Riverside ferry.</p>": "<p>Con el pase viajas gratis "
    "después de las 9:30 entre semana y todo el día los fines de semana. También sirve en "
    "los tranvías y en el ferri de Riverside.</p>",
    "<p>People who live in Northvale and have reached state pension age.</p>": "<p>Personas "
    "que viven en Northvale y han llegado a la edad de jubilación.</p>",
    "<p>You need proof of age and an address in Northvale. A recent photo is taken at the "
    "desk if you apply in person.</p>": "<p>Necesitas un documento que muestre tu edad y "
    "una dirección en Northvale. Si lo pides en persona, te hacemos la foto en el "
    "mostrador.</p>",
    "Check your age and address": "Comprueba tu edad y tu dirección",
    "Apply online or at City Hall": "Solicítalo en línea o en el Ayuntamiento",
    "Get your pass": "Recoge tu pase",
    "Apply for a bus pass online": "Solicitar el pase de autobús en línea",
    "Ask for the concessionary travel team.": "Pregunta por el equipo de transporte gratuito.",
    "Bring proof of age.": "Trae un documento que muestre tu edad.",
    "A volunteer can fill in the online form with you.": "Un voluntario puede rellenar "
    "contigo el formulario en línea.",
    # -- school transport ----------------------------------------------------------------------
    "Apply for free school transport": "Solicita transporte escolar gratuito",
    "Free travel to school for children who live far from their nearest suitable school.": (
        "Viaje gratis al colegio para niños que viven lejos del colegio adecuado más cercano."
    ),
    "<p>We provide a bus pass or a seat on a school bus. Children with special educational "
    "needs may get a taxi or minibus.</p>": "<p>Damos un pase de autobús o una plaza en un "
    "autobús escolar. Los niños con necesidades educativas especiales pueden tener taxi o "
    "microbús.</p>",
    "<p>Parents and carers of children aged 5 to 16.</p>": "<p>Madres, padres y cuidadores "
    "de niños de 5 a 16 años.</p>",
    "<p>Your child must live more than 2 miles (under 8) or 3 miles (8 and over) from their "
    "nearest suitable school.</p>": "<p>Tu hijo tiene que vivir a más de 2 millas (menores "
    "de 8 años) o 3 millas (8 años o más) del colegio adecuado más cercano.</p>",
    "Check the distance": "Comprueba la distancia",
    "Apply by 31 May": "Solicítalo antes del 31 de mayo",
    "We write to you in July": "Te escribimos en julio",
    # -- pothole -----------------------------------------------------------------------------
    "Report a pothole or damaged road": "Avisa de un bache o una calle dañada",
    "Tell us about potholes, broken paving or damaged road signs so we can fix them.": (
        "Avísanos de baches, aceras rotas o señales dañadas para que podamos arreglarlos."
    ),
    "<p>We inspect dangerous potholes within 24 hours and fix them within 5 working "
    "days.</p>": "<p>Revisamos los baches peligrosos en menos de 24 horas y los arreglamos "
    "en menos de 5 días laborables.</p>",
    "<p>Anyone who uses Northvale's roads and pavements.</p>": "<p>Cualquier persona que use "
    "las calles y aceras de Northvale.</p>",
    "Note where it is": "Apunta dónde está",
    "Report it with a photo if you can": "Avisa con una foto si puedes",
    "Track the repair": "Sigue el arreglo",
    "Report a road problem": "Avisar de un problema en la calle",
    "Add the street name and nearest house number.": "Añade el nombre de la calle y el "
    "número de portal más cercano.",
    "Out of hours for dangerous potholes.": "Fuera de horario, para baches peligrosos.",
    # -- blue badge ----------------------------------------------------------------------------
    "Apply for a Blue Badge parking permit": "Solicita la tarjeta azul de aparcamiento",
    "Park closer to where you need to go if you have a disability or health condition that "
    "affects your mobility.": "Aparca más cerca de donde necesitas ir si tienes una "
    "discapacidad o una enfermedad que afecta a tu movilidad.",
    "<p>A Blue Badge lets you park on yellow lines and in disabled bays.</p>": "<p>La "
    "tarjeta azul te deja aparcar en líneas amarillas y en plazas para personas con "
    "discapacidad.</p>",
    "<p>Drivers and passengers with mobility problems, and parents of young children with "
    "medical equipment.</p>": "<p>Conductores y pasajeros con problemas de movilidad, y "
    "padres de niños pequeños con equipo médico.</p>",
    "<p>Some people qualify automatically; others have a short assessment with a Health and "
    "Wellbeing occupational therapist.</p>": "<p>Algunas personas tienen derecho "
    "directamente; otras hacen una breve valoración con un terapeuta ocupacional de Salud y "
    "Bienestar.</p>",
    "Have an assessment if needed": "Haz una valoración si hace falta",
    "Receive your badge": "Recibe tu tarjeta",
    "Apply for a Blue Badge": "Solicitar la tarjeta azul",
    # -- council housing -------------------------------------------------------------------------
    "Apply for council housing": "Solicita una vivienda municipal",
    "Join the housing register to bid for council and housing association homes.": "Apúntate "
    "al registro de vivienda para optar a viviendas municipales y de asociaciones de "
    "vivienda.",
    "<p>Homes are offered through Northvale Homefinder. Bidding opens every Thursday.</p>": (
        "<p>Las viviendas se ofrecen a través de Northvale Homefinder. Las solicitudes se "
        "abren cada jueves.</p>"
    ),
    "<p>People who need a secure, affordable home in Northvale.</p>": "<p>Personas que "
    "necesitan una vivienda segura y asequible en Northvale.</p>",
    "<p>You must have lived in Northvale for two years, unless you are homeless or fleeing "
    "violence.</p>": "<p>Tienes que haber vivido en Northvale dos años, salvo que no tengas "
    "hogar o estés huyendo de la violencia.</p>",
    "Get your band": "Recibe tu nivel de prioridad",
    "Bid for homes each week": "Opta a viviendas cada semana",
    "Register with Homefinder": "Registrarse en Homefinder",
    "Volunteers help with the form and bidding.": "Los voluntarios ayudan con el formulario "
    "y las solicitudes.",
    # -- homeless --------------------------------------------------------------------------------
    "Get help if you are homeless or about to lose your home": "Pide ayuda si no tienes "
    "hogar o vas a perder tu casa",
    "Urgent advice and somewhere safe to stay tonight if you have nowhere to go.": "Consejo "
    "urgente y un lugar seguro para pasar la noche si no tienes adónde ir.",
    "<p>Contact us as soon as you know you may lose your home — the earlier, the more we can "
    "do.</p>": "<p>Contacta con nosotros en cuanto sepas que puedes perder tu casa: cuanto "
    "antes, más podemos hacer.</p>",
    "<p>Anyone who is homeless or may be within the next 8 weeks.</p>": "<p>Cualquier "
    "persona sin hogar o que pueda quedarse sin hogar en las próximas 8 semanas.</p>",
    "If you have nowhere to stay tonight.": "Si no tienes dónde dormir esta noche.",
    "We call you back within the hour.": "Te llamamos en menos de una hora.",
    # -- planning --------------------------------------------------------------------------------
    "Apply for planning permission": "Solicita una licencia de obras",
    "Find out if you need planning permission, and apply for extensions, new buildings and "
    "changes of use.": "Descubre si necesitas licencia de obras y solicítala para "
    "ampliaciones, edificios nuevos y cambios de uso.",
    "<p>Most householder applications are decided within 8 weeks.</p>": "<p>La mayoría de "
    "las solicitudes de particulares se resuelven en menos de 8 semanas.</p>",
    "<p>Homeowners, landlords, businesses and developers.</p>": "<p>Propietarios, "
    "caseros, empresas y promotores.</p>",
    "Check if you need permission": "Comprueba si necesitas licencia",
    "Get pre-application advice": "Pide consejo antes de solicitarla",
    "Apply through the planning portal": "Solicitar en el portal de urbanismo",
    "Duty planning officer.": "Técnico de urbanismo de guardia.",
    # -- birth -----------------------------------------------------------------------------------
    "Register a birth": "Registra un nacimiento",
    "Register your baby's birth within 42 days and get their birth certificate.": "Registra "
    "el nacimiento de tu bebé en menos de 42 días y consigue su partida de nacimiento.",
    "<p>Registration takes about 30 minutes. You can register at the hospital on weekday "
    "mornings.</p>": "<p>El registro dura unos 30 minutos. Puedes registrarlo en el "
    "hospital por las mañanas entre semana.</p>",
    "<p>Parents of babies born in Northvale.</p>": "<p>Madres y padres de bebés nacidos en "
    "Northvale.</p>",
    "Come with your baby's details": "Ven con los datos de tu bebé",
    "Get the certificate": "Recoge la partida",
    # -- health visitor -------------------------------------------------------------------------
    "See a health visitor after your baby is born": "Recibe la visita de una enfermera "
    "después del parto",
    "Home visits and baby clinics for advice on feeding, sleep and your baby's development.": (
        "Visitas a casa y consultas de bebés con consejos sobre alimentación, sueño y "
        "desarrollo de tu bebé."
    ),
    "<p>A health visitor comes to your home 10 to 14 days after the birth.</p>": "<p>Una "
    "enfermera va a tu casa entre 10 y 14 días después del parto.</p>",
    "<p>Families with children under 5.</p>": "<p>Familias con niños menores de 5 años.</p>",
    "Ask for your local health visiting team.": "Pregunta por el equipo de enfermería de tu "
    "barrio.",
    "Text us a question; a health visitor replies the same day.": "Envíanos tu pregunta por "
    "mensaje; una enfermera te responde el mismo día.",
    # -- carers ----------------------------------------------------------------------------------
    "Get support as an unpaid carer": "Recibe apoyo si cuidas de alguien sin cobrar",
    "A carer's assessment, breaks from caring and advice on money and work.": "Una "
    "valoración para cuidadores, descansos del cuidado y consejos sobre dinero y trabajo.",
    "<p>If you look after someone, you can ask for a carer's assessment even if the person "
    "you care for does not get help from us.</p>": "<p>Si cuidas de alguien, puedes pedir "
    "una valoración para cuidadores aunque la persona a la que cuidas no reciba ayuda "
    "nuestra.</p>",
    "<p>Anyone aged 16 or over who looks after a relative, partner or friend.</p>": "<p>Cualquier "
    "persona de 16 años o más que cuida de un familiar, su pareja o un amigo.</p>",
    "Ask for an assessment": "Pide una valoración",
    "Talk through what you need": "Habla de lo que necesitas",
    "Get a plan": "Recibe un plan",
    "Ask for a carer's assessment": "Pedir una valoración para cuidadores",
    "Carers' coffee mornings and help with the assessment form.": "Cafés para cuidadores por "
    "la mañana y ayuda con el formulario de valoración.",
    # -- bins ------------------------------------------------------------------------------------
    "Report a missed bin collection": "Avisa si no se recogió tu contenedor",
    "Tell us if your bin was not emptied on collection day and we will come back within 2 "
    "working days.": "Avísanos si no se vació tu contenedor el día de recogida y volveremos "
    "en menos de 2 días laborables.",
    "<p>Please report it after 5pm on your collection day and no later than 2 days "
    "after.</p>": "<p>Avisa después de las 17 h del día de recogida y no más tarde de 2 días "
    "después.</p>",
    "<p>Households in Northvale.</p>": "<p>Hogares de Northvale.</p>",
    "Check your collection day": "Comprueba tu día de recogida",
    "Report the missed bin": "Avisa del contenedor no recogido",
    "Report a missed bin": "Avisar de un contenedor no recogido",
    "Add your postcode and house number.": "Añade tu código postal y tu número de portal.",
    "Book a bulky waste collection": "Pide la recogida de muebles y trastos",
    "We collect furniture, fridges and other large items from your home for a small fee.": (
        "Recogemos muebles, neveras y otros objetos grandes en tu casa por un precio pequeño."
    ),
    "<p>Up to 5 items for £25. Council tenants get one free collection a year.</p>": "<p>Hasta "
    "5 objetos por 25 £. Los inquilinos municipales tienen una recogida gratis al año.</p>",
    "List your items": "Haz una lista de tus objetos",
    "Book and pay": "Reserva y paga",
    "Put items out on the day": "Saca los objetos ese día",
    "Book a collection": "Reservar una recogida",
    # -- business --------------------------------------------------------------------------------
    "Register a food business": "Registra un negocio de comida",
    "Register at least 28 days before you start selling food, including from home or a "
    "market stall.": "Regístralo al menos 28 días antes de empezar a vender comida, también "
    "si vendes desde casa o en un puesto de mercado.",
    "<p>Registration is free. A food safety officer will visit to check your kitchen.</p>": (
        "<p>El registro es gratis. Un inspector de seguridad alimentaria visitará tu cocina.</p>"
    ),
    "<p>Restaurants, cafés, caterers, home bakers and market traders.</p>": "<p>Restaurantes, "
    "cafeterías, empresas de catering, reposteros caseros y vendedores de mercado.</p>",
    "Prepare for your inspection": "Prepárate para la inspección",
    "Get your hygiene rating": "Recibe tu nota de higiene",
    "Register your food business": "Registrar tu negocio de comida",
    "Apply for a street trading licence": "Solicita una licencia de venta en la calle",
    "Sell goods or food from a pitch on a Northvale street or market.": "Vende productos o "
    "comida en un puesto en una calle o mercado de Northvale.",
    "<p>Licences last up to a year. Pitches near bus stops need Transport's agreement, which "
    "we ask for on your behalf.</p>": "<p>Las licencias duran hasta un año. Los puestos "
    "cerca de paradas de autobús necesitan el visto bueno de Transporte, que pedimos por "
    "ti.</p>",
    "<p>Market traders and mobile food sellers.</p>": "<p>Vendedores de mercado y de comida "
    "ambulante.</p>",
    "<p>You must be 17 or over and have the right to work in the UK.</p>": "<p>Tienes que "
    "tener 17 años o más y permiso para trabajar en el Reino Unido.</p>",
    "Choose a pitch": "Elige un puesto",
    "Display your licence": "Pon tu licencia a la vista",
    "Apply for a licence": "Solicitar una licencia",
    # -- news --------------------------------------------------------------------------------------
    "You said bin days were confusing — now we text you the night before": "Nos dijiste que "
    "los días de recogida eran confusos: ahora te avisamos por mensaje la noche antes",
    "After 240 ideas and comments, bin collection reminders now come by text.": "Después de "
    "240 ideas y comentarios, los avisos de recogida de basura llegan por mensaje de texto.",
    "<p>Collection days changed after the new rounds and many of you missed them. You asked "
    "for a reminder that does not need an app.</p>": "<p>Los días de recogida cambiaron con "
    "las nuevas rutas y muchos no os enterasteis. Pedisteis un aviso que no necesitara una "
    "aplicación.</p>",
    "<p>Text BIN and your postcode to 60777 and we send a reminder the evening before every "
    "collection.</p>": "<p>Envía BIN y tu código postal al 60777 y te mandamos un aviso la "
    "tarde antes de cada recogida.</p>",
    "You said the bus pass took three visits — now it takes one": "Nos dijiste que el pase de "
    "autobús necesitaba tres visitas: ahora basta con una",
    "Photos are now taken at the desk and passes printed on the spot.": "Ahora la foto se "
    "hace en el mostrador y el pase se imprime en el momento.",
    "<p>Older residents told us they had to come back to City Hall to bring a photo and again "
    "to collect the pass.</p>": "<p>Los vecinos mayores nos contaron que tenían que volver "
    "al Ayuntamiento para traer una foto y otra vez para recoger el pase.</p>",
    "<p>The travel desk now takes your photo and prints your pass while you wait.</p>": "<p>El "
    "mostrador de transporte ahora te hace la foto e imprime tu pase mientras esperas.</p>",
    # -- snippets ---------------------------------------------------------------------------------
    "Having a baby": "Tener un bebé",
    "Registering a birth, health visits and childcare.": "Registrar un nacimiento, visitas de "
    "salud y cuidado de niños.",
    "Starting a business": "Empezar un negocio",
    "Licences, registration and business rates.": "Licencias, registro e impuestos de negocios.",
    "Moving home": "Mudarse de casa",
    "Housing, parking, bins and getting settled.": "Vivienda, aparcamiento, basuras y "
    "adaptarse al barrio.",
    "Getting older": "Hacerse mayor",
    "Travel, care and staying independent.": "Transporte, cuidados y seguir siendo independiente.",
    "One visit, not three": "Una visita, no tres",
    "If you come to us in person, we sort it out in that visit or tell you exactly what "
    "happens next.": "Si vienes en persona, lo resolvemos en esa visita o te decimos "
    "exactamente qué pasa después.",
    "Plain words": "Palabras sencillas",
    "Every letter, form and page is written so anyone can understand it.": "Cada carta, "
    "formulario y página está escrito para que cualquiera lo entienda.",
    "We call you back": "Te devolvemos la llamada",
    "If we cannot answer on the phone straight away, we call you back within one working "
    "day.": "Si no podemos atenderte por teléfono enseguida, te llamamos en menos de un día "
    "laborable.",
    "Help in your language": "Ayuda en tu idioma",
    "Interpreters are free on the phone and in person, in over 100 languages.": "Los "
    "intérpretes son gratis por teléfono y en persona, en más de 100 idiomas.",
    # -- the bus-pass campaign page ------------------------------------------------------------
    "Free bus travel from 66": "Viaja gratis en autobús desde los 66",
    "Your city. Your ride. Free from 66.": "Tu ciudad. Tu viaje. Gratis desde los 66.",
    "Every bus and tram in Northvale, free after 9:30am — and your pass is printed while you "
    "wait.": "Todos los autobuses y tranvías de Northvale, gratis a partir de las 9:30, y tu "
    "pase se imprime mientras esperas.",
    "Get your free bus pass": "Consigue tu pase de autobús gratis",
    "<h2>One visit, not three</h2><p>Bring proof of age to City Hall; we take your photo and "
    "print your pass on the spot.</p>": "<h2>Una visita, no tres</h2><p>Trae un documento que "
    "acredite tu edad al Ayuntamiento; te hacemos la foto e imprimimos tu pase en el "
    "momento.</p>",
    "I was in and out in fifteen minutes with my pass.": "Entré y salí en quince minutos con "
    "mi pase.",
}

UPDATED_SERVICE = "The updated service: "
UPDATED_SERVICE_ES = "El servicio actualizado: "


def es(text: str) -> str:
    """The Spanish for one piece of demo text (English when there is none)."""
    if text.startswith(UPDATED_SERVICE):
        title = text[len(UPDATED_SERVICE) :]
        return UPDATED_SERVICE_ES + ES.get(title, title)
    return ES.get(text, text)
