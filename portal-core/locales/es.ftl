# Los emails del portal, en español.

## Documentos

doc-invoice = Factura { $number }
doc-quote = Presupuesto { $number }
doc-sales-order = Pedido { $number }
summary-invoice = Factura { $number } por { $total }, { $balance } a pagar antes del { $due }.
summary-quote = Presupuesto { $number } por { $total }, válido hasta el { $expiry }.
summary-sales-order = Pedido { $number } por { $total }, realizado el { $date }.

## Invitación

invitation-subject = Invitación al portal de clientes de { $org }
invitation-body =
    Hola, { $name }:

    { $org } le ha invitado a su portal de clientes, donde puede ver los presupuestos, facturas y pagos de { $customer }.

    Acepte la invitación: { $link }

    El enlace funciona una sola vez y caduca. El portal está en { $url }.

## Contraseña

reset-subject = Restablezca su contraseña del portal de { $org }
reset-body =
    Hola, { $name }:

    Alguien ha pedido restablecer su contraseña del portal de clientes de { $org }.
    Elija una contraseña nueva: { $link }

    El enlace funciona una sola vez y caduca en { $minutes } minutos. Si no lo ha pedido usted, ignore este email: su contraseña no cambia.

## Pagos

receipt-subject = Recibo { $receipt } de { $org }
receipt-body =
    Gracias por su pago de { $amount } por { $invoices }.
    Recibo: { $receipt }
payment-failed-subject = Su pago a { $org } no se ha completado
payment-failed-body =
    Su pago de { $amount } por { $invoices } no se ha completado.
    { $reason }
    No se ha cobrado nada y las facturas vuelven a estar pendientes. Puede pagarlas desde el portal: { $url }

## Documentos enviados al cliente

document-email-subject = { $document } de { $org }
document-email-body =
    Hola, { $name }:

    { $summary }
    Ábralo aquí: { $url }

    También adjuntamos el documento.
link-subject = { $document } de { $org }
link-body =
    Hola, { $name }:

    { $org } le ha enviado { $document }. Ábralo para { $actions } (sin iniciar sesión):
    { $link }

    El enlace funciona hasta el { $until }.
link-can-view = verlo
link-can-download = descargarlo
link-can-pay = pagarlo
link-can-decide = aceptarlo o rechazarlo
forward-subject = { $sender } ha reenviado un documento de { $org }
forward-body =
    { $summary }
    { $note }
    { $org } lo envió a { $customer }. El portal de clientes está en { $url }.
forward-note =
    { $sender } escribió:
    { $note }

## Notificaciones al cliente

comment-subject = { $org } ha respondido en el portal de clientes
comment-body =
    { $org } escribió:

    { $comment }

    Véalo en el portal: { $url }

## Lists

list-separator = {", "}

## Documentos para imprimir (el PDF y la página de impresión)

print-retainer-invoice = Factura de anticipo { $number }
print-receipt = Recibo { $number }
print-credit-note = Nota de crédito { $number }
print-statement = Estado de cuenta
print-bill-to = Facturar a
print-col-description = Descripción
print-col-quantity = Cantidad
print-col-rate = Precio
print-col-discount = Descuento
print-col-tax = Impuesto
print-col-amount = Importe
print-col-applied-to = Aplicado a
print-col-date = Fecha
print-col-entry = Movimiento
print-col-number = Número
print-col-balance = Saldo
print-subtotal = Subtotal
print-discount = Descuento
print-tax = Impuesto
print-total = Total
print-paid = Pagado
print-credited = Abonado
print-balance-due = Saldo pendiente
print-applied = Aplicado a facturas
print-kept-as-credit = Guardado como crédito
print-received = Recibido
print-credit = Crédito
print-used = Usado
print-available = Disponible
print-opening-balance = Saldo inicial
print-closing-balance = Saldo final
print-issue-date = Fecha de emisión
print-due-date = Fecha de vencimiento
print-valid-until = Válido hasta
print-order-date = Fecha del pedido
print-shipment-date = Fecha de envío
print-paid-on = Pagado el
print-paid-by = Pagado con
print-reference = Referencia
print-from = Desde
print-to = Hasta
print-currency = Moneda
print-running-total = Total acumulado
print-applied-so-far = Aplicado hasta aquí
print-carried-forward = { $label } a cuenta nueva
print-brought-forward = { $label } de la página anterior
print-page = Página { $page } de { $pages }
print-signed = Aceptado y firmado
print-continued = { $title } (continuación)
print-content-hash = Huella del contenido: { $hash }
print-declined = Rechazado
print-card = tarjeta { $brand } terminada en { $last4 }
print-bank-account = cuenta bancaria terminada en { $last4 }
print-credit-line = Crédito a su cuenta
print-entry-invoice = Factura
print-entry-credit-note = Nota de crédito
print-entry-payment = Pago
print-entry-refund = Reembolso
print-aging-current = Al día
print-aging-1-30 = Vencido hace 1–30 días
print-aging-31-60 = Vencido hace 31–60 días
print-aging-61-90 = Vencido hace 61–90 días
print-aging-over-90 = Vencido hace más de 90 días
print-pending = Pago pendiente desde el { $date }
print-pending-action = { $amount } (esperando la confirmación del banco; aún fuera del saldo)
print-pending-processing = { $amount } (en proceso; aún fuera del saldo)
stamp-paid = PAGADA
stamp-partially-paid = PAGADA EN PARTE
stamp-overdue = VENCIDA
stamp-void = ANULADA
stamp-accepted = ACEPTADO
stamp-declined = RECHAZADO
stamp-invoiced = FACTURADO
stamp-used = USADA
stamp-draft = BORRADOR
stamp-open = ABIERTO
stamp-partially-invoiced = FACTURADO EN PARTE
stamp-closed = CERRADO

## Rechazos que un usuario del portal puede encontrar (por el código del error)

refusal-invalid_email = Esto no es una dirección de correo; revísela e inténtelo de nuevo.
refusal-invalid_amount = Este importe no se puede usar: indique un importe positivo con, como mucho, los decimales de la moneda.
refusal-currency_mismatch = Estos importes están en monedas distintas; pague cada moneda por separado.
refusal-unknown_currency = Esta moneda no se conoce; use su código ISO de tres letras.
refusal-weak_password = Elija otra contraseña: esta es demasiado fácil de adivinar.
refusal-weak_password-short = La contraseña debe tener al menos 8 caracteres; una frase corta es lo más fácil de recordar.
refusal-weak_password-long = La contraseña debe tener como mucho 256 caracteres.
refusal-weak_password-common = Esta contraseña está entre las más usadas; elija otra.
refusal-invalid_text = Este texto no se puede usar: está vacío, es demasiado largo o tiene caracteres no permitidos.
refusal-invalid_preference = Elija un idioma, zona horaria, formato de fecha y país de las listas.
refusal-invalid_preference-language = "{ $value }" no es un idioma en el que esté escrito este portal; elija uno de la lista.
refusal-invalid_preference-time_zone = "{ $value }" no es una zona horaria de la base de datos IANA (como Europe/Madrid); elija una de la lista.
refusal-invalid_preference-country = "{ $value }" no es un código de país ISO 3166-1 (como ES); elija uno de la lista.
refusal-invalid_state = Esto ya no se puede hacer: cambió desde que se abrió la página. Vuelva a cargar la página.
refusal-not_found = Aquí no hay nada, o no le corresponde verlo.
refusal-not_shareable = Este documento no se puede enviar solo; comparta la factura a la que pertenece.
refusal-not_commentable = Este documento no tiene comentarios; comente su presupuesto o su factura.
refusal-portal_disabled = Este portal está desactivado; contacte con la organización.
refusal-invalid_link = Este enlace no es válido o ha caducado; pida uno nuevo.
refusal-invalid_credentials = El correo o la contraseña no son correctos.
refusal-too_many_attempts = Demasiados intentos fallidos de inicio de sesión; inténtelo de nuevo dentro de { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    }.
refusal-session_expired = Su sesión ha terminado; inicie sesión de nuevo.
refusal-link_expired = Este enlace ha caducado; pida uno nuevo a la organización.
refusal-link_revoked = Este enlace ya no funciona; pida uno nuevo a la organización.
refusal-link_action_not_allowed = Este enlace no permite eso; inicie sesión en el portal o consulte a la organización.
refusal-CP1003 = Esta cuenta del portal pertenece a un contacto que la organización eliminó; pídale que lo revise.
refusal-wrong_password = La contraseña actual no es correcta.
refusal-password_confirmation_mismatch = La nueva contraseña y su confirmación no coinciden.
refusal-forbidden = Su acceso al portal no permite esto; consulte a la organización.
refusal-busy = Otra persona está cambiando esto ahora; inténtelo de nuevo.
refusal-invalid_cursor = Esta página de la lista está desactualizada; vuelva a la primera página.
refusal-nothing_to_pay = No hay nada que pagar en las facturas elegidas.
refusal-partial_payment_not_allowed = Esta factura debe pagarse completa; no admite pagos parciales.
refusal-amount_exceeds_balance = { $amount } es más que el saldo pendiente de { $balance }.
refusal-payment_in_progress = Se está procesando un pago de esta factura; revise sus pagos en un momento y vuelva a intentarlo.
refusal-no_payment_gateway = El pago en línea no está disponible para esta factura; contacte con la organización para pagarla de otra forma.
refusal-bank_payment_not_allowed = El pago con cuenta bancaria no está activado para su cuenta; pague con tarjeta o contacte con la organización.
refusal-invalid_idempotency_key = Este formulario de pago está desactualizado; vuelva a cargar la página y pague de nuevo.
refusal-idempotency_key_reused = Este formulario de pago ya se usó para otro pago; vuelva a cargar la página y pague de nuevo.
refusal-payment_pending = El pago se está procesando; revise sus pagos en breve antes de volver a pagar.
refusal-authentication_required = Su banco le pide que confirme este pago; continúelo en la página de pago.
refusal-payment_processing = El pago se está procesando y se liquida en unos días; mientras tanto el importe queda reservado.
refusal-credit_not_available = Ese crédito no está disponible; actualice sus créditos.
refusal-reason_required = Indique un motivo para rechazar o disputar horas.
refusal-time_not_submittable = No hay nada que decidir en esta hoja de horas; no tiene horas pendientes de aprobación.
refusal-invalid_project = Este registro u hoja de horas no se puede usar así; revíselo e inténtelo de nuevo.
refusal-file_too_large = El archivo es demasiado grande: el límite es { $megabytes } MB.
refusal-file_type_not_allowed = No se aceptan archivos de este tipo; envíe un PDF, una imagen o un documento de texto.
refusal-invalid_file = Este archivo no se puede usar: compruebe que no está vacío y que su nombre no tiene barras.
refusal-invalid_expiry = La caducidad debe ser un mes a partir de ahora (mes del 1 al 12, año de cuatro cifras).
refusal-invalid_payment_details = Los datos de la tarjeta o de la cuenta no se pueden usar tal como están escritos; revíselos e inténtelo de nuevo.
refusal-invalid_period = Elija un periodo cuyo inicio no sea posterior a su final.
refusal-invalid_quote = Este presupuesto no se puede usar así; revíselo e inténtelo de nuevo.
refusal-quote_expired = Este presupuesto caducó el { $date }; pida uno nuevo a la organización.
refusal-quote_changed = El presupuesto cambió desde que lo abrió; léalo de nuevo antes de aceptar.
refusal-typed_details_refused = Los datos de la tarjeta se escriben en el formulario del propio proveedor de pagos, nunca se envían a este sitio.
refusal-card_declined = La tarjeta fue rechazada; pruebe otra tarjeta o contacte con su banco.
refusal-card_expired = La tarjeta ha caducado; use otra tarjeta.
refusal-CP3001 = Los pagos con tarjeta guardada no están activados; pague con una tarjeta escrita ahora.
refusal-CP3002 = La cuenta de pagos de la organización no está bien configurada; contacte con la organización.
refusal-CP3003 = El pago fue bloqueado por los controles de fraude del proveedor de pagos; contacte con la organización.
refusal-CP3004 = La dirección de facturación no coincide con la de la tarjeta; revise la dirección.
refusal-CP3005 = Se hizo el mismo pago hace unos minutos; revise sus pagos antes de volver a intentarlo.
refusal-CP4001 = El importe está por debajo del mínimo del proveedor de pagos.
refusal-CP4001-minimum = El importe mínimo del proveedor de pagos es { $minimum }.
refusal-CP4002 = Este proveedor de pagos no admite métodos de pago guardados.
refusal-CP4003 = El proveedor de pagos no acepta esta moneda; contacte con la organización.
refusal-CP4003-currency = El proveedor de pagos no acepta { $currency }; contacte con la organización.
refusal-gateway_unavailable = No se puede contactar con el proveedor de pagos ahora; no se ha cobrado nada. Inténtelo de nuevo en un momento.
refusal-not_charged = No se ha cobrado nada; inténtelo de nuevo.
refusal-authentication_failed = Su banco no confirmó el pago; no se ha cobrado nada. Inténtelo de nuevo o use otra tarjeta.
refusal-authentication_abandoned = El pago no se confirmó con su banco a tiempo; no se ha cobrado nada.
refusal-debit_failed = Su banco devolvió el adeudo; la factura vuelve a estar pendiente.
refusal-payment_failed = El pago no se completó; no se ha cobrado nada.

refusal-forbidden-role = Su rol en el portal "{ $role }" no le permite { $what }; consulte a la organización.
refusal-forbidden-setting = La organización ha desactivado "{ $setting }" en su portal.
refusal-forbidden-inactive = Su acceso al portal no está activo; pida a la organización que lo active.
permission-quotes-view = ver presupuestos
permission-quotes-create = comentar presupuestos
permission-quotes-accept = aceptar presupuestos
permission-invoices-view = ver facturas
permission-invoices-create = comentar facturas
permission-invoices-pay = pagar facturas
permission-payments-view = ver pagos
permission-payments-create = guardar métodos de pago
permission-payments-edit = editar métodos de pago
permission-payments-delete = eliminar métodos de pago
permission-statements-view = ver estados de cuenta
permission-sales-orders-view = ver pedidos
permission-projects-view = ver proyectos
permission-projects-create = comentar proyectos
permission-timesheets-view = ver hojas de horas
permission-timesheets-create = comentar hojas de horas
permission-timesheets-approve = aprobar hojas de horas
permission-documents-view = ver documentos
permission-documents-upload = subir documentos
permission-documents-delete = eliminar documentos
permission-profile-view = ver sus datos
permission-profile-edit = editar sus datos
setting-portal-enabled = Activar el portal de clientes
setting-show-sales-orders = Permitir que los clientes vean los pedidos
setting-show-projects = Permitir que los clientes vean proyectos y hojas de horas
setting-allow-uploads = Permitir subir documentos
setting-allow-edit-details = Permitir que los clientes editen sus datos
setting-enable-reviews = Activar las opiniones de clientes
setting-allow-forwarding = Permitir que los clientes reenvíen documentos
