# Las páginas del portal en español.

portal = Portal de clientes
sign-in = Iniciar sesión
sign-out = Cerrar sesión
field-email = Correo electrónico
field-password = Contraseña
forgot-password-link = ¿Ha olvidado su contraseña?

## Navegación

nav-label = Portal
menu = Menú
nav-home = Inicio
nav-quotes = Presupuestos
nav-invoices = Facturas
nav-payments = Pagos
nav-statement = Extracto
nav-orders = Pedidos
nav-projects = Proyectos
nav-timesheets = Partes de horas
nav-files = Archivos
nav-profile = Perfil
nav-contact = Contacto

## Panel

signed-in-as = Sesión iniciada como { $name } · { $org }
figure-outstanding = Pendiente de pago
figure-overdue = Vencido
figure-credit = Crédito disponible
figure-balance = Pendiente tras su crédito
figure-quotes = Presupuestos que le esperan
figure-pending = Pagos en curso
last-payment = Último pago: { $amount } el { $date }.
see-invoices = Ver facturas
credits-and-refunds = Créditos y reembolsos
payment-methods = Métodos de pago
your-account = Su cuenta
amounts-in = Importes en { $currency }
contact-persons = Personas de contacto
primary = principal
write-to-us = Escríbanos

## Tablas

col-pay = Pagar
col-number = Número
col-due = Vencimiento
col-status = Estado
col-total = Total
col-balance = Saldo
col-invoice = Factura
col-amount = Importe
col-since = Desde
col-receipt = Recibo
col-date = Fecha
col-method = Método
col-description = Descripción
col-quantity = Cantidad
col-rate = Precio

## Facturas

filter-and-sort = Filtrar y ordenar
filter-show = Mostrar
filter-kind = Tipo
sort-by = Ordenar por
order = Orden
filter-all = Todas
filter-unpaid = Sin pagar
filter-partly-paid = Pagadas en parte
filter-overdue = Vencidas
filter-paid = Pagadas
filter-void = Anuladas
sort-issue-date = Fecha de emisión
sort-due-date = Fecha de vencimiento
sort-total = Total
sort-balance = Saldo
order-desc = Más recientes o mayores primero
order-asc = Más antiguas o menores primero
kind-all = Facturas y anticipos
kind-invoice = Facturas
kind-retainer = Facturas de anticipo
no-invoices = No hay facturas aquí.
retainer = anticipo
pay-number = Pagar { $number }
pay-selected = Pagar las seleccionadas
pay-all = Pagar todo lo pendiente
next-page = Página siguiente
invoice-title = Factura { $number }
issued-on = Emitida el { $date }
due-on = vence el { $date }
invoice-status-draft = borrador
invoice-status-sent = enviada
invoice-status-partially_paid = pagada en parte
invoice-status-paid = pagada
invoice-status-void = anulada
subtotal = Subtotal
discount = Descuento
tax = Impuesto
paid = Pagado
credited = Abonado
payment-pending = Pago en curso
reserved-until-settles = { $amount } (reservado hasta que se liquide)
download-pdf = Descargar PDF
print-version = Versión para imprimir
use-credit = Usar su crédito disponible en esta factura

## Pagar

pay-amount = Pagar { $amount }
nothing-outstanding = No hay nada pendiente.
test-mode = Modo de prueba: pague con una tarjeta de prueba como 4242 4242 4242 4242. No se cobra nada.
amount-to-pay = Importe a pagar ahora (déjelo vacío para pagar { $amount })
pay-with = Pagar con
pay-with-card = Una tarjeta
pay-with-bank = Una cuenta bancaria
pay-with-saved = Guardado: { $method }
card = Tarjeta
card-in-provider-form = Se escribe en el formulario del propio proveedor de pagos: este sitio nunca ve el número de la tarjeta.
sepa-debit = Cuenta bancaria (adeudo directo SEPA)
account-holder = Titular de la cuenta
iban-in-provider-form = Se envía desde esta página al proveedor de pagos; este sitio nunca ve el número de cuenta. Un adeudo se liquida en pocos días.
needs-javascript = Pagar con tarjeta o adeudo bancario necesita JavaScript: el formulario de pago es del propio proveedor.
method-card = tarjeta { $brand } terminada en { $last4 }
method-bank = cuenta bancaria terminada en { $last4 }

## Pagos

pending = En curso
pending-explained = Reservados en sus facturas, aún no pagados.
stage-requires-action = Esperando la confirmación de su banco
stage-processing = En proceso (un adeudo bancario se liquida en pocos días)
no-payments = Aún no hay pagos.
older-payments = Pagos anteriores
receipt-title = Recibo { $number }
paid-on = Pagado el { $date }
kept-as-credit = Guardado como crédito
applied-to = Aplicado a
see-payments = Ver sus pagos
confirm-with-bank = Confirme con su banco
confirm-with-bank-explained = Su banco le pide que confirme el pago de { $amount }. No se cobra nada hasta que lo confirme; mientras tanto, el importe queda reservado.
confirm-needs-javascript = Confirmar con su banco necesita JavaScript.
payment-processing = Pago en proceso
payment-processing-explained = Su pago de { $amount } se ha aceptado y está en proceso: un adeudo bancario se liquida en pocos días. Hasta entonces el importe queda reservado en sus facturas, y le avisamos por correo cuando se liquide (o si su banco lo devuelve).
thank-you = Gracias
we-received = Hemos recibido { $amount }. Su recibo es el { $receipt }; también le llega por correo.
link-paid = Gracias: hemos recibido { $amount }. Su recibo es el { $receipt }.
see-receipt = Ver el recibo
back-home = Volver al inicio
card-holder = Nombre en la tarjeta
card-number = Número de tarjeta
card-month = Mes
card-year = Año
bank-account = Cuenta bancaria
routing-number = Código del banco
account-number = Número de cuenta

## Reenviar y comentarios

forward-title = Reenviar este documento
forward-to = Dirección de correo
forward-note = Nota (opcional)
forward = Reenviar
comments = Comentarios
no-comments = Aún no hay comentarios.
comment-add = Añadir un comentario
comment = Comentar
comment-you = Usted
comment-former-contact = Un antiguo contacto

## Extracto

statement-title = Extracto de cuenta
statement-range = Del { $from } al { $to }
period = Periodo
period-this-month = Este mes
period-last-month = Mes pasado
period-this-quarter = Este trimestre
period-this-year = Este año
period-last-year = Año pasado
period-custom = Otro periodo
period-from = Desde
period-to = Hasta
col-entry = Movimiento
opening-balance = Saldo inicial
closing-balance = Saldo final
entry-invoice = Factura
entry-credit-note = Nota de crédito
entry-payment = Pago
entry-refund = Reembolso
statement-pending-explained = Reservados en sus facturas; no entran en el saldo hasta que se liquiden.
since = Desde el { $date }
aging-title = Antigüedad de lo pendiente
aging-current = En plazo
aging-1-30 = 1–30 días
aging-31-60 = 31–60 días
aging-61-90 = 61–90 días
aging-over-90 = Más de 90 días

## Presupuestos

no-quotes = Aún no hay presupuestos.
col-expires = Válido hasta
quote = Presupuesto
quote-title = Presupuesto { $number }
valid-until = válido hasta el { $date }
quote-status-draft = borrador
quote-status-sent = enviado
quote-status-accepted = aceptado
quote-status-declined = rechazado
quote-status-invoiced = facturado
accepted-by = Aceptado y firmado por <strong>{ $name }</strong> el { $date }.
signature-of = Firma de { $name }
declined-because = Rechazado:
accept = Aceptar
your-name = Su nombre
type-to-sign = Escriba su nombre para firmar
draw-to-sign = O dibuje su firma abajo.
clear-drawing = Borrar el dibujo
accept-and-sign = Aceptar y firmar
decline = Rechazar
decline-reason = Motivo (opcional)

## Créditos y métodos de pago

credits = Créditos
no-credit = No hay crédito disponible.
col-from = Origen
col-available = Disponible
credit-how = Abra una factura sin pagar para usar en ella su crédito.
refunds = Reembolsos
no-refunds = No hay reembolsos.
col-paid-back-by = Devuelto mediante
col-refunded = Reembolsado
source-overpayment = Pago en exceso
source-retainer = Anticipo
use-credit-on = Usar crédito en { $number }
use-credit-on-invoice = Usar crédito en la factura
credit-to-use = Crédito a usar (déjelo vacío para saldar todo lo posible)
preview = Vista previa
what-would-happen = Qué pasaría
col-credit = Crédito
col-used = Usado
balance-now = Saldo ahora
balance-after = Saldo después
use-this-credit = Usar este crédito
no-saved-methods = No hay métodos de pago guardados.
remove = Eliminar
save-method = Guardar un método de pago
save-card = Guardar una tarjeta
save = Guardar
save-card-in-provider-form = Se escribe en el formulario del propio proveedor de pagos: este sitio nunca ve el número de la tarjeta. Su banco puede pedirle que confirme.
save-card-needs-javascript = Guardar una tarjeta necesita JavaScript: el formulario de la tarjeta es del propio proveedor.
back-to-methods = Volver a los métodos de pago

## Pedidos, proyectos y partes de horas

sales-orders = Pedidos
no-sales-orders = No hay pedidos.
col-ordered = Pedido el
sales-order = Pedido
sales-order-title = Pedido { $number }
ordered-on = Pedido el { $date }
ships-on = envío el { $date }
not-invoiced = Aún no facturado.
order-status-draft = borrador
order-status-open = abierto
order-status-partially_invoiced = facturado en parte
order-status-invoiced = facturado
order-status-closed = cerrado
order-status-void = anulado
no-projects = No hay proyectos.
col-project = Proyecto
project-status-active = activo
project-status-completed = terminado
timesheets-awaiting = Partes de horas pendientes de su aprobación
tasks = Tareas
col-task = Tarea
col-billable = Facturable
col-logged = Registrado
col-unbilled = Aún no facturado
yes = sí
no = no
time = Tiempo
no-time = No hay tiempo registrado.
col-note = Nota
more-time = Más registros de tiempo
no-timesheets = Aún no hay partes de horas.
col-timesheet = Parte de horas
timesheet-title = Parte de horas { $title }
col-sent = Enviado
col-minutes = Minutos
sent-on = Enviado el { $date }
minutes = { $minutes } minutos
reason = Motivo:
col-dispute = Impugnar (motivo)
dispute-reason-for = Motivo de impugnación del { $date }
reject-reason = Motivo, para rechazarlo todo
approve-all = Aprobar todo
approve-undisputed = Aprobar todo salvo los registros impugnados
reject = Rechazar
approval-status-pending = pendiente
approval-status-approved = aprobado
approval-status-partially_approved = aprobado en parte
approval-status-rejected = rechazado
entry-status-unsubmitted = no enviado
entry-status-pending = pendiente
entry-status-approved = aprobado
entry-status-rejected = rechazado

## Archivos, datos y contacto

no-files = Aún no hay archivos.
col-name = Nombre
col-size = Tamaño
col-actions = Acciones
shared-with-you = Compartido con usted
delete = Eliminar
upload-file = Subir un archivo
upload-kinds = PDF, PNG, JPEG o texto, hasta 10 MiB
upload = Subir
sent = Enviado
back = Volver
forwarded-to = El documento va de camino a { $to }.
message-sent-to = Su mensaje va de camino a { $org }.
review-thanks = Gracias por su valoración.
contact-title = Contactar con { $org }
contact-heading = Contactar con
field-phone = Teléfono
field-address = Dirección
field-subject = Asunto
field-message = Mensaje
send = Enviar
write-review = Escribir una valoración
review-question = ¿Qué tal fue trabajar con { $org }?
send-review = Enviar la valoración
your-details = Sus datos
field-customer-name = Nombre del cliente
field-company = Empresa
field-first-name = Nombre
field-last-name = Apellidos
email-changed-by-org = la organización lo cambia
billing-address = Dirección de facturación
shipping-address = Dirección de envío
field-street = Calle
field-street2 = Calle, segunda línea
field-postcode = Código postal
field-city = Ciudad
field-country = País
save-details = Guardar los datos
field-customer = Cliente
details-kept-by = { $org } guarda sus datos; escríbales para cambiar algo.
change-password = Cambiar la contraseña
current-password = Contraseña actual
new-password = Contraseña nueva
new-password-again = Contraseña nueva otra vez
password-changed = Su contraseña ha cambiado; se ha cerrado la sesión en sus otros dispositivos.

## Invitación y restablecimiento de la contraseña

welcome = Bienvenido
welcome-title = Bienvenido a su portal de clientes
welcome-choose-password = Elija una contraseña para terminar de configurar su acceso.
password-again = Contraseña otra vez
your-preferences = Sus preferencias
field-language = Idioma
field-time-zone = Zona horaria
field-dates = Fechas
field-clock24 = Reloj de 24 horas
set-password-sign-in = Guardar la contraseña e iniciar sesión
reset-title = Restablecer la contraseña
reset-sent = Si ese correo pertenece a un usuario del portal, le llega un enlace para restablecer la contraseña. Funciona poco tiempo y una sola vez.
back-to-sign-in = Volver a iniciar sesión
send-reset-link = Enviarme un enlace
choose-new-password = Elija una contraseña nueva
set-password = Guardar la contraseña

## Document links

link-pay-now = Pagar ahora
link-pay-balance = Pagar el saldo
card-cvv = CVV
link-decide = Aceptar o rechazar
link-only-this = Esta página muestra un documento que <bdi>{ $org }</bdi> le ha enviado. Para ver todo lo demás, inicie sesión en el <a href="{ $url }">portal de clientes</a>.

## Páginas de rechazo

error-title-check = Revise, por favor
error-title-sign-in-again = Inicie sesión de nuevo, por favor
error-title-not-allowed = No permitido
error-title-link-gone = Este enlace ya no funciona
error-title-cannot-now = Esto no se puede hacer ahora
error-title-payment = El pago no se realizó
error-title-wait = Espere, por favor
error-title-unavailable = Inténtelo de nuevo en un momento
error-unavailable = El portal está ocupado o no puede acceder a sus datos en este momento. No se ha cambiado nada; inténtelo de nuevo en un minuto.
error-title-internal = Algo salió mal
error-internal = No es nada que usted haya hecho. Inténtelo de nuevo en un momento; si vuelve a ocurrir, avise a la organización e indique la referencia de abajo.
error-title-not-found = No encontrado
error-not-found = No hay ninguna página en esta dirección, o no le corresponde verla. Revise la dirección, o vuelva atrás y búsquela desde allí.
error-title-too-large = Demasiado grande para enviar
error-too-large = Lo que envió es mayor de lo que acepta el portal: un archivo puede tener como máximo 10 MiB. Elija un archivo más pequeño (o acorte el texto) y envíe el formulario de nuevo.
error-title-bad-form = No se pudo leer este formulario
error-bad-form = Faltaba parte del formulario o no tenía la forma que espera el portal (quizá la página está desactualizada). Vuelva atrás, recargue la página y rellene el formulario de nuevo.
error-title-method = No es algo que haga esta página
error-method = Esta dirección no se puede usar así: ábrala desde un enlace o un botón del portal.
error-title-bad-request = No se pudo atender esta solicitud
error-bad-request = Vuelva atrás, recargue la página e inténtelo de nuevo.
error-title-csrf = Este formulario ha caducado
error-csrf = La página de la que vino este formulario es demasiado antigua, o inició o cerró sesión desde entonces. Vuelva atrás, recargue la página y envíe el formulario de nuevo.
error-back-console = Volver a la consola de la organización
error-back-start = Volver a la página de inicio
error-back-portal = Volver al portal
error-reference = Referencia para soporte: error { $status }, <code>{ $code }</code>

## The dashboard

due-now = Para pagar ahora
overdue-amount = { $amount } vencido
see-all-due = Ver todo lo pendiente
nothing-due = Nada que pagar: está al día.
your-figures = Sus cifras
invoice-status-overdue = vencida
amount-due = Importe a pagar
the-invoice = La factura
link-quote-decided = El presupuesto { $number } está { $status }.
support-reference = Referencia para soporte: { $code }
payments-and-credits = Pagos y créditos
col-source = Origen
applied-credit-note = Nota de crédito
applied-overpayment = Crédito de un pago en exceso
applied-retainer = Anticipo
