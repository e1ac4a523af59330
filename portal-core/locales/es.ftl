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
    Su pago de { $amount } por { $invoices } no se ha completado: { $reason }.
    No se ha cobrado nada y las facturas vuelven a estar pendientes. Puede pagarlas desde el portal: { $url }

## Documentos enviados al cliente

document-email-subject = { $document } de { $org }
document-email-body =
    Hola, { $name }:

    { $summary }
    Adjuntamos el documento; también está en su portal de clientes en { $url }.
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
