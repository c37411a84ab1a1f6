# The fuzz targets (fuzz/<name>.cpp), for scripts/fuzz.sh; fuzz/targets.cmake lists the same.
FUZZ_TARGETS=(http_request native_orders completion order_api marketplace threepl_notification
  shipping_orders xml_answer tracking_number stomp_frame rfc5322 iso_time pagination)
