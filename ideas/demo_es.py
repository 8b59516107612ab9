"""Spanish for the demo's official content held in models (agencies, challenges, backlog
items and their public updates): English text → Spanish, applied by
:func:`ideas.demo_translations.seed` into each object's ``translations`` (see
``community.content_i18n``). CMS pages have their own map in ``cms/demo_es.py``."""

SPANISH = {
    # -- agencies ---------------------------------------------------------------------------
    "Northvale Transport": "Transporte de Northvale",
    "Buses, trams, cycling lanes, school transport and the city's roads.": (
        "Autobuses, tranvías, carriles bici, transporte escolar y las calles de la ciudad."
    ),
    "Housing and Planning": "Vivienda y Urbanismo",
    "Council homes, housing advice, planning applications and building consents.": (
        "Viviendas municipales, asesoría de vivienda, solicitudes urbanísticas y licencias de obra."
    ),
    "Health and Wellbeing": "Salud y Bienestar",
    "Community clinics, public health, adult social care and carers' support.": (
        "Centros de salud comunitarios, salud pública, atención social a adultos y apoyo a "
        "cuidadores."
    ),
    "Parks and Environment": "Parques y Medio Ambiente",
    "Parks, street trees, bins and recycling, air quality and flood defence.": (
        "Parques, arbolado urbano, basuras y reciclaje, calidad del aire y defensa contra "
        "inundaciones."
    ),
    "Business and Licensing": "Empresas y Licencias",
    "Business rates, licences for trading, food hygiene and support for new businesses.": (
        "Impuestos a empresas, licencias comerciales, higiene alimentaria y apoyo a nuevos "
        "negocios."
    ),
    # -- challenges -------------------------------------------------------------------------
    "How might we make the buses feel reliable even when the timetable slips?": (
        "¿Cómo podríamos hacer que los autobuses parezcan fiables aunque se retrase el horario?"
    ),
    "Late buses we can live with; not knowing is what hurts. Tell us what would help.": (
        "Podemos vivir con autobuses que llegan tarde; lo que duele es no saberlo. Dinos "
        "qué te ayudaría."
    ),
    "Punctuality on Northvale's core routes is 81%. Roadworks on the ring road will last "
    "until next spring, so delays will not disappear soon. We want to hear how we could "
    "keep you informed and make waiting less of a gamble.\n\nIdeas will be reviewed by the "
    "Transport service design team in a co-design workshop.": (
        "La puntualidad en las líneas principales de Northvale es del 81 %. Las obras de la "
        "ronda durarán hasta la próxima primavera, así que los retrasos no desaparecerán "
        "pronto. Queremos saber cómo podríamos mantenerte informado y hacer que esperar no "
        "sea una lotería.\n\nEl equipo de diseño de servicios de Transporte revisará las "
        "ideas en un taller de codiseño."
    ),
    "How might we cut the wait for a building consent?": (
        "¿Cómo podríamos acortar la espera de una licencia de obra?"
    ),
    "Home extensions wait eleven weeks on average for a decision. Help us find the delays.": (
        "Las ampliaciones de vivienda esperan de media once semanas una decisión. Ayúdanos "
        "a encontrar los retrasos."
    ),
    "Most applications are for small home extensions and loft conversions. About a third "
    "are sent back at least once because something is missing, which restarts the clock.": (
        "La mayoría de las solicitudes son para pequeñas ampliaciones y reformas de "
        "buhardillas. Cerca de un tercio se devuelven al menos una vez porque falta algo, y "
        "el plazo vuelve a empezar."
    ),
    "How might we get more households recycling their food waste?": (
        "¿Cómo podríamos lograr que más hogares reciclen sus restos de comida?"
    ),
    "Only one household in four uses the food caddy. What would make it easy?": (
        "Solo uno de cada cuatro hogares usa el cubo de restos de comida. ¿Qué lo haría fácil?"
    ),
    "Food waste in black bins costs Northvale £1.2m a year in landfill tax. Flats and "
    "shared houses recycle the least.": (
        "Los restos de comida en los contenedores negros cuestan a Northvale 1,2 millones de "
        "libras al año en impuestos de vertedero. Los pisos y las viviendas compartidas son "
        "los que menos reciclan."
    ),
    "How might we help unpaid carers find support before they reach crisis point?": (
        "¿Cómo podríamos ayudar a los cuidadores no remunerados a encontrar apoyo antes de "
        "llegar a una crisis?"
    ),
    "Most carers first contact us when things have already gone wrong.": (
        "La mayoría de los cuidadores nos contacta por primera vez cuando las cosas ya han ido mal."
    ),
    "There are about 14,000 unpaid carers in Northvale; 2,100 are known to us. Support "
    "exists — breaks, training, money advice — but carers tell us they never heard of it.": (
        "En Northvale hay unos 14.000 cuidadores no remunerados; conocemos a 2.100. Hay "
        "apoyo —descansos, formación, asesoría económica—, pero los cuidadores nos dicen "
        "que nunca oyeron hablar de él."
    ),
    "How might we make it easier to start a market stall?": (
        "¿Cómo podríamos facilitar abrir un puesto en el mercado?"
    ),
    "Twelve forms and six weeks stand between a good idea and Saturday's market.": (
        "Doce formularios y seis semanas separan una buena idea del mercado del sábado."
    ),
    "We are now reviewing the ideas below with traders and will publish what changes.": (
        "Ahora estamos revisando estas ideas con los comerciantes y publicaremos qué cambia."
    ),
    # -- backlog items (roadmap cards) ------------------------------------------------------
    "Plain-language letters": "Cartas en lenguaje claro",
    "People phone us because our letters are hard to follow.": (
        "La gente nos llama porque nuestras cartas son difíciles de entender."
    ),
    "Rewrite the ten most-sent letters with residents.": (
        "Reescribir con los vecinos las diez cartas que más enviamos."
    ),
    "Evening opening once a week": "Apertura por la tarde una vez por semana",
    "Working people cannot reach us in office hours.": (
        "Quien trabaja no puede venir en horario de oficina."
    ),
    "Trial one late opening a week at the main office.": (
        "Probar una apertura por la tarde a la semana en la oficina principal."
    ),
    "One login for every form": "Un solo acceso para todos los formularios",
    "People re-enter the same details on every form.": (
        "La gente vuelve a escribir los mismos datos en cada formulario."
    ),
    "Prefill forms from the account.": "Rellenar los formularios con los datos de la cuenta.",
    "Text reminders for appointments": "Recordatorios de citas por SMS",
    "Missed appointments waste everyone's time.": (
        "Las citas perdidas hacen perder el tiempo a todos."
    ),
    "Send an SMS reminder the day before.": "Enviar un recordatorio por SMS el día antes.",
    "Accessible PDF forms": "Formularios PDF accesibles",
    "Screen reader users could not complete our forms.": (
        "Quienes usan lector de pantalla no podían completar nuestros formularios."
    ),
    "Replace PDFs with accessible web forms.": (
        "Sustituir los PDF por formularios web accesibles."
    ),
    "Fax submissions": "Envíos por fax",
    "A few people still asked to send documents by fax.": (
        "Algunas personas todavía pedían enviar documentos por fax."
    ),
    "Keep a fax line.": "Mantener una línea de fax.",
}

# Items promoted from the demo's ideas carry the idea's title: official once on the roadmap,
# but the same words are also the citizen's idea (shown as written), so the Spanish journey
# does not look for them.
IDEA_ITEM_TITLES = {
    "Live arrival screens at the ten busiest stops": (
        "Pantallas de llegadas en directo en las diez paradas más concurridas"
    ),
    "A checklist that tells you what's missing before you submit": (
        "Una lista que te dice qué falta antes de enviar la solicitud"
    ),
    "Show where my application is, like a parcel tracker": (
        "Mostrar dónde está mi solicitud, como el seguimiento de un paquete"
    ),
    "One form for the pitch, the food licence and the trading licence": (
        "Un solo formulario para el puesto, la licencia de alimentos y la de comercio"
    ),
    "Text a stop code, get the next bus back": (
        "Envíe el código de la parada por SMS y reciba el próximo autobús"
    ),
    "Tell us when a bus is cancelled, not just late": (
        "Avísennos cuando un autobús se cancela, no solo cuando se retrasa"
    ),
    "Fast track for standard single-storey extensions": (
        "Vía rápida para ampliaciones estándar de una planta"
    ),
    "Communal food waste bins for blocks of flats": (
        "Contenedores comunitarios de restos de comida para bloques de pisos"
    ),
    "Free compostable liners delivered with the caddy": (
        "Bolsas compostables gratis entregadas con el cubo"
    ),
    "One phone number for every kind of carer support": (
        "Un solo teléfono para todo tipo de apoyo a cuidadores"
    ),
    "A carers' card that gets you recognised": "Una tarjeta de cuidador que te identifique",
    "A try-out pitch for a single Saturday": "Un puesto de prueba para un solo sábado",
    "Publish free pitches online each week": "Publicar cada semana en internet los puestos libres",
}

SPANISH |= {
    # -- public updates ---------------------------------------------------------------------
    "Promoted to our innovation backlog; we will post updates here.": (
        "Incluida en nuestra cartera de innovación; publicaremos aquí las novedades."
    ),
    "We have looked at this and it is worth exploring.": (
        "Lo hemos estudiado y merece la pena explorarlo."
    ),
    "We are talking to residents and front-line staff to understand the problem.": (
        "Estamos hablando con vecinos y personal de atención para entender el problema."
    ),
    "We are building this now and will test it with people who asked for it.": (
        "Lo estamos construyendo y lo probaremos con las personas que lo pidieron."
    ),
    "This is now live. Thank you to everyone who shaped it.": (
        "Ya está en marcha. Gracias a todas las personas que le dieron forma."
    ),
    "The cost is far higher than the benefit for now; we will revisit it next year.": (
        "Por ahora el coste es mucho mayor que el beneficio; lo revisaremos el año que viene."
    ),
    # -- official responses on the demo's ideas -----------------------------------------------
    "Thank you. We are costing screens for the ten busiest stops and will share the numbers "
    "at the next workshop.": (
        "Gracias. Estamos calculando el coste de las pantallas para las diez paradas más "
        "concurridas y compartiremos las cifras en el próximo taller."
    ),
    "We agree. A pre-submission checker is now in our plan for next quarter; we will test "
    "early versions with people from this board.": (
        "Estamos de acuerdo. Un comprobador previo a la solicitud ya está en nuestro plan "
        "para el próximo trimestre; probaremos las primeras versiones con personas de este "
        "tablero."
    ),
    "Added to the Housing and Planning backlog. We will update this idea when work starts.": (
        "Añadida a la cartera de Vivienda y Urbanismo. Actualizaremos esta idea cuando "
        "empiece el trabajo."
    ),
    "We are mapping which of the twelve forms can be combined; the first findings will be "
    "posted here.": (
        "Estamos viendo cuáles de los doce formularios se pueden unir; publicaremos aquí "
        "las primeras conclusiones."
    ),
    "Thank you: we are taking this forward and adding it to our backlog.": (
        "Gracias: seguimos adelante con esto y lo añadimos a nuestra cartera."
    ),
}
