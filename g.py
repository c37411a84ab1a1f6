import sys, json, time, http.client
sys.path.insert(0, "/work/main/bench")
import shipping_orders_bench as b
key = open("/tmp/prof/key").read().strip(); now = int(open("/tmp/prof/now").read())
conn = http.client.HTTPConnection("127.0.0.1", 18181, timeout=60)
body = {"lastUpdatedAt": {"startsAt": now - 30 * b.DAY + 60_000, "endsAt": now}, "groupId": "group-3", "limit": int(sys.argv[1])}
for i in range(5):
    t = time.perf_counter(); s, d = b.call(conn, key, "POST", b.BASE + "/list", body); print(s, len(d), "%.1f ms" % ((time.perf_counter()-t)*1000))
