set(fuzz_targets http_request native_orders completion order_api marketplace threepl_notification
    shipping_orders xml_answer tracking_number stomp_frame rfc5322 iso_time pagination)
