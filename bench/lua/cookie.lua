-- GET with a signed-in session cookie given in the environment variable COOKIE ("sessionid=...").
wrk.headers["Cookie"] = os.getenv("COOKIE")
